"""The Python side of `npm run bench`: times PyTorch (and the seeds' numpy TinyResNet) on request.

Started once per bench run by tooling/bench/python.ts; reads one JSON request per line on stdin and
writes one JSON reply per line on stdout, so that the bench can alternate between the library and
PyTorch, a few repetitions at a time, and both see the same load on a shared machine.

Requests: {"op": "info"} and, for the timed ops, {"op": ..., "reps": r, "warmup": w, ...} whose
reply is {"ms": [one time per repetition], "quietMs": how long the server then waited for its
threads to stop spinning, see wait_until_quiet}:
  gemm          m, n, k, transA, transB, dtype      C = op(A)·op(B) with torch.mm
  conv_fwd      shape [N, C, H, W], cout, k, stride, pad, dtype (no bias, no autograd)
  conv_bwd      the same; dx and dW of one convolution, from a fixed dy
  bn            shape, dtype: BatchNorm2d forward and backward in training mode
  tiny_step     dtype: one SGD step (momentum 0.9) of TinyResNet, batch 32, 1×32×32, 4 classes
  resnet18_fwd  dtype: ResNet-18 forward at 1×3×224×224 in evaluation mode
  seed_step     the seeds' numpy TinyResNet (float64), one training step, batch 32
  numpy_gemm    m, n, k, transA, transB, dtype: C = op(A)·op(B) with numpy.matmul
  spin          ms: a thread that stays busy for ms after each run returns (for the bench's tests)
The bench starts this script twice: with Debian's python3-torch (/usr/bin/python3) for the PyTorch
ops, and with the first python3 on the PATH for the numpy ops, where numpy may have a faster BLAS
(Debian's python3-torch and python3-numpy use the reference BLAS unless OpenBLAS is installed).
"""
import contextlib, io, json, os, sys, time

try:
    import torch, torch.nn as nn, torch.nn.functional as F
except ImportError:  # numpy only: seed_step still works
    torch = None

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {} if torch is None else {"float32": torch.float32, "float64": torch.float64}


def timed(run, reps, warmup):
    for _ in range(warmup):
        run()
    ms = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        ms.append(1000 * (time.perf_counter() - start))
    return ms


def wait_until_quiet(limit_s=1.0):
    """Returns once this process's threads have stopped using the CPU (or after limit_s); the ms waited.

    A BLAS's worker threads keep spinning after a call returns, each on a core of its own:
    OpenBLAS's, for about 0.1 s on the book's machines. Replying at once would time the library's next
    repetitions on one core fewer than it asked for.
    """
    start = time.perf_counter()
    while time.perf_counter() - start < limit_s:
        cpu = time.process_time()
        time.sleep(0.01)
        if time.process_time() - cpu < 0.002:  # under a fifth of one core: nothing is spinning
            break
    return 1000 * (time.perf_counter() - start)


if torch is not None:
    class Basic(nn.Module):
        """torchvision's BasicBlock; `bias` as the seeds' TinyResNet (True) or torchvision (False)."""
        def __init__(s, i, o, stride=1, bias=True):
            super().__init__()
            s.conv1 = nn.Conv2d(i, o, 3, stride, 1, bias=bias); s.bn1 = nn.BatchNorm2d(o)
            s.conv2 = nn.Conv2d(o, o, 3, 1, 1, bias=bias); s.bn2 = nn.BatchNorm2d(o)
            s.downsample = (nn.Sequential(nn.Conv2d(i, o, 1, stride, 0, bias=bias), nn.BatchNorm2d(o))
                            if stride != 1 or i != o else None)

        def forward(s, x):
            f = s.bn2(s.conv2(torch.relu(s.bn1(s.conv1(x)))))
            return torch.relu(f + (x if s.downsample is None else s.downsample(x)))

    class Tiny(nn.Module):
        """The seeds' TinyResNet, as the library's TinyResNet builds it (convolutions with bias)."""
        def __init__(s, classes=4):
            super().__init__()
            s.conv1 = nn.Conv2d(1, 16, 3, 1, 1); s.bn1 = nn.BatchNorm2d(16)
            s.layer1 = nn.Sequential(Basic(16, 16), Basic(16, 16))
            s.layer2 = nn.Sequential(Basic(16, 32, 2), Basic(32, 32))
            s.fc = nn.Linear(32, classes)

        def forward(s, x):
            x = s.layer2(s.layer1(torch.relu(s.bn1(s.conv1(x)))))
            return s.fc(x.mean((2, 3)))

    class ResNet18(nn.Module):
        """torchvision's resnet18 (BasicBlocks without conv bias, 1000 classes)."""
        def __init__(s):
            super().__init__()
            s.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False); s.bn1 = nn.BatchNorm2d(64)
            s.maxpool = nn.MaxPool2d(3, 2, 1)
            widths, layers, i = [64, 128, 256, 512], [], 64
            for n, w in enumerate(widths):
                stride = 1 if n == 0 else 2
                layers.append(nn.Sequential(Basic(i, w, stride, bias=False), Basic(w, w, 1, bias=False)))
                i = w
            s.layers = nn.Sequential(*layers)
            s.fc = nn.Linear(512, 1000)

        def forward(s, x):
            x = s.layers(s.maxpool(torch.relu(s.bn1(s.conv1(x)))))
            return s.fc(x.mean((2, 3)))


def op_gemm(r):
    dt = DTYPES[r["dtype"]]
    m, n, k = r["m"], r["n"], r["k"]
    a = torch.randn(k, m, dtype=dt).t() if r["transA"] else torch.randn(m, k, dtype=dt)
    b = torch.randn(n, k, dtype=dt).t() if r["transB"] else torch.randn(k, n, dtype=dt)
    return lambda: torch.mm(a, b)


def conv_inputs(r):
    dt = DTYPES[r["dtype"]]
    n, c, h, w = r["shape"]
    x = torch.randn(n, c, h, w, dtype=dt)
    weight = torch.randn(r["cout"], c, r["k"], r["k"], dtype=dt)
    return x, weight


def op_conv_fwd(r):
    x, weight = conv_inputs(r)
    def run():
        with torch.no_grad():
            F.conv2d(x, weight, None, r["stride"], r["pad"])
    return run


def op_conv_bwd(r):
    x, weight = conv_inputs(r)
    x.requires_grad_(); weight.requires_grad_()
    y = F.conv2d(x, weight, None, r["stride"], r["pad"])
    dy = torch.randn_like(y)
    return lambda: torch.autograd.grad(y, (x, weight), dy, retain_graph=True)


def op_bn(r):
    dt = DTYPES[r["dtype"]]
    bn = nn.BatchNorm2d(r["shape"][1]).to(dt).train()
    x = torch.randn(*r["shape"], dtype=dt, requires_grad=True)
    dy = torch.randn(*r["shape"], dtype=dt)
    def run():
        y = bn(x)
        torch.autograd.grad(y, (x, bn.weight, bn.bias), dy)
    return run


def op_tiny_step(r):
    dt = DTYPES[r["dtype"]]
    torch.manual_seed(0)
    model = Tiny().to(dt).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(32, 1, 32, 32, dtype=dt)
    y = torch.arange(32) % 4
    def run():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return run


def op_resnet18_fwd(r):
    dt = DTYPES[r["dtype"]]
    model = ResNet18().to(dt).eval()
    x = torch.randn(1, 3, 224, 224, dtype=dt)
    def run():
        with torch.no_grad():
            model(x)
    return run


def op_numpy_gemm(r):
    import numpy as np
    dt = {"float32": np.float32, "float64": np.float64}[r["dtype"]]
    m, n, k = r["m"], r["n"], r["k"]
    rng = np.random.default_rng(0)
    a = rng.standard_normal((k, m)).astype(dt).T if r["transA"] else rng.standard_normal((m, k)).astype(dt)
    b = rng.standard_normal((n, k)).astype(dt).T if r["transB"] else rng.standard_normal((k, n)).astype(dt)
    return lambda: np.matmul(a, b)


SEED = {}


def op_seed_step(r):
    if not SEED:
        with contextlib.redirect_stdout(io.StringIO()):  # the seed prints its data set's shapes
            exec(open(os.path.join(HERE, "seed_numpy_tinyresnet.py")).read(), SEED)
        SEED["np"].random.seed(0)
        SEED["model"] = SEED["TinyResNet"](num_classes=4)
    ns, model = SEED, SEED["model"]
    xb, yb = ns["X_train"][:32], ns["y_train"][:32]
    model.train()
    def run():
        logits = model.forward(xb)
        loss, dlogits = ns["cross_entropy_loss"](logits, yb)
        model.backward(dlogits)
        params, grads = model.get_params_and_grads()
        for p, g in zip(params, grads):
            p -= 0.01 * g
    return run


def op_spin(r):
    """For the bench's tests: each run starts a thread that keeps a core busy for r["ms"] after the
    run has returned, as a BLAS's idle workers do."""
    import threading
    def spin():
        until = time.perf_counter() + r["ms"] / 1000
        while time.perf_counter() < until:
            pass
    return lambda: threading.Thread(target=spin, daemon=True).start()


OPS = {"gemm": op_gemm, "conv_fwd": op_conv_fwd, "conv_bwd": op_conv_bwd, "bn": op_bn,
       "tiny_step": op_tiny_step, "resnet18_fwd": op_resnet18_fwd, "seed_step": op_seed_step,
       "numpy_gemm": op_numpy_gemm, "spin": op_spin}
CACHE = {}


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    threads = int(os.environ.get("BENCH_THREADS", "1"))
    if torch is not None:
        torch.set_num_threads(threads)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "info":
                import numpy
                blas = "unknown"
                try:
                    config = numpy.show_config(mode="dicts")  # numpy ≥ 1.26
                    blas = config["Build Dependencies"]["blas"]["name"]
                except Exception:  # noqa: BLE001 — older numpy: no dict form
                    pass
                import re
                torch_blas = None if torch is None else (re.findall(r"BLAS_INFO=(\w+)", torch.__config__.show()) or ["unknown"])[0]
                reply({"python": sys.executable,
                       "torch": None if torch is None else torch.__version__,
                       "torchBlas": torch_blas,
                       "torchThreads": None if torch is None else torch.get_num_threads(),
                       "numpy": numpy.__version__, "blas": blas})
                continue
            if torch is None and request["op"] not in ("seed_step", "numpy_gemm", "spin"):
                raise RuntimeError("PyTorch is not installed")
            key = json.dumps({k: v for k, v in request.items() if k not in ("reps", "warmup")}, sort_keys=True)
            fresh = key not in CACHE
            if fresh:
                CACHE.clear()  # one workload at a time: keep memory down
                CACHE[key] = OPS[request["op"]](request)
            warmup = request.get("warmup", 1) if fresh else 0
            ms = timed(CACHE[key], request.get("reps", 5), warmup)
            reply({"ms": ms, "quietMs": wait_until_quiet()})
        except Exception as error:  # noqa: BLE001 — report and keep serving
            reply({"error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
