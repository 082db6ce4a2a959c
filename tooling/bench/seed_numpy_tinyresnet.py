# Copied unchanged (but for this header) from the project's shared anchors,
# /work/shared/anchors/seed_numpy_tinyresnet.py: the seed notebook's numpy TinyResNet/TinyPlainNet
# (seeds/000_*.txt), cells joined as they are, plotting removed, so that its training step can be
# timed beside this project's by torch_server.py (op "seed_step"). A reference to measure against,
# not code to copy: none of it is part of the book or the library.
import numpy as np, time, sys
# 工具函數：im2col 和 col2im

def im2col(x, kH, kW, stride=1, pad=0):
    """將 4D tensor 展開成 2D matrix 以便做矩陣乘法
    
    Parameters
    ----------
    x : np.ndarray, shape (N, C, H, W)
    kH, kW : int - kernel size
    stride : int
    pad : int
    
    Returns
    -------
    col : np.ndarray, shape (N*out_H*out_W, C*kH*kW)
    """
    N, C, H, W = x.shape
    
    # Padding
    if pad > 0:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode='constant')
    
    H_pad, W_pad = x.shape[2], x.shape[3]
    out_H = (H_pad - kH) // stride + 1
    out_W = (W_pad - kW) // stride + 1
    
    # 使用 stride_tricks 來高效提取 patches
    shape = (N, C, kH, kW, out_H, out_W)
    strides = (x.strides[0], x.strides[1], x.strides[2], x.strides[3],
               x.strides[2] * stride, x.strides[3] * stride)
    
    col = np.lib.stride_tricks.as_strided(x, shape=shape, strides=strides)
    col = col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_H * out_W, -1)
    
    return col

def col2im(col, x_shape, kH, kW, stride=1, pad=0):
    """im2col 的逆操作
    
    Parameters
    ----------
    col : np.ndarray, shape (N*out_H*out_W, C*kH*kW)
    x_shape : tuple - 原始 x 的 shape (N, C, H, W)
    
    Returns
    -------
    x : np.ndarray, shape (N, C, H, W)
    """
    N, C, H, W = x_shape
    H_pad = H + 2 * pad
    W_pad = W + 2 * pad
    out_H = (H_pad - kH) // stride + 1
    out_W = (W_pad - kW) // stride + 1
    
    col = col.reshape(N, out_H, out_W, C, kH, kW).transpose(0, 3, 4, 5, 1, 2)
    
    x_pad = np.zeros((N, C, H_pad, W_pad))
    
    for i in range(kH):
        i_max = i + stride * out_H
        for j in range(kW):
            j_max = j + stride * out_W
            x_pad[:, :, i:i_max:stride, j:j_max:stride] += col[:, :, i, j, :, :]
    
    if pad > 0:
        return x_pad[:, :, pad:-pad, pad:-pad]
    return x_pad

class Conv2D:
    """2D Convolution Layer"""
    
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        
        # He initialization
        scale = np.sqrt(2.0 / (in_channels * kernel_size * kernel_size))
        self.W = np.random.randn(out_channels, in_channels, kernel_size, kernel_size) * scale
        self.b = np.zeros(out_channels)
        
        self.cache = None
        self.dW = None
        self.db = None
    
    def forward(self, x):
        """Forward pass using im2col
        
        Parameters
        ----------
        x : np.ndarray, shape (N, C_in, H, W)
        
        Returns
        -------
        out : np.ndarray, shape (N, C_out, H_out, W_out)
        """
        N, C, H, W = x.shape
        kH = kW = self.kernel_size
        
        # 計算輸出大小
        H_out = (H + 2 * self.padding - kH) // self.stride + 1
        W_out = (W + 2 * self.padding - kW) // self.stride + 1
        
        # im2col
        col = im2col(x, kH, kW, self.stride, self.padding)
        
        # Reshape weights
        W_col = self.W.reshape(self.out_channels, -1)
        
        # Matrix multiplication
        out = col @ W_col.T + self.b
        
        # Reshape output
        out = out.reshape(N, H_out, W_out, self.out_channels).transpose(0, 3, 1, 2)
        
        self.cache = (x, col)
        return out
    
    def backward(self, dout):
        """Backward pass
        
        Parameters
        ----------
        dout : np.ndarray, shape (N, C_out, H_out, W_out)
        
        Returns
        -------
        dx : np.ndarray, shape (N, C_in, H, W)
        """
        x, col = self.cache
        N, C, H, W = x.shape
        kH = kW = self.kernel_size
        
        # Reshape dout: (N, C_out, H_out, W_out) -> (N*H_out*W_out, C_out)
        dout_reshaped = dout.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)
        
        # Gradient for W and b
        self.dW = (dout_reshaped.T @ col).reshape(self.W.shape)
        self.db = dout_reshaped.sum(axis=0)
        
        # Gradient for x
        W_col = self.W.reshape(self.out_channels, -1)
        dcol = dout_reshaped @ W_col
        dx = col2im(dcol, x.shape, kH, kW, self.stride, self.padding)
        
        return dx

class BatchNorm2D:
    """Batch Normalization for Conv layers"""
    
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        
        self.gamma = np.ones(num_features)
        self.beta = np.zeros(num_features)
        
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)
        
        self.cache = None
        self.training = True
        
        self.dgamma = None
        self.dbeta = None
    
    def forward(self, x):
        """Forward pass
        
        Parameters
        ----------
        x : np.ndarray, shape (N, C, H, W)
        
        Returns
        -------
        out : np.ndarray, shape (N, C, H, W)
        """
        N, C, H, W = x.shape
        
        if self.training:
            # 計算 mean 和 var（對 N, H, W 取平均，保留 C）
            mean = x.mean(axis=(0, 2, 3))
            var = x.var(axis=(0, 2, 3))
            
            # 更新 running statistics
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var
        else:
            mean = self.running_mean
            var = self.running_var
        
        # Normalize
        std = np.sqrt(var + self.eps)
        x_norm = (x - mean.reshape(1, C, 1, 1)) / std.reshape(1, C, 1, 1)
        
        # Scale and shift
        out = self.gamma.reshape(1, C, 1, 1) * x_norm + self.beta.reshape(1, C, 1, 1)
        
        if self.training:
            self.cache = (x, x_norm, mean, var, std)
        
        return out
    
    def backward(self, dout):
        """Backward pass"""
        x, x_norm, mean, var, std = self.cache
        N, C, H, W = x.shape
        m = N * H * W  # number of elements per channel
        
        # Gradients for gamma and beta
        self.dgamma = (dout * x_norm).sum(axis=(0, 2, 3))
        self.dbeta = dout.sum(axis=(0, 2, 3))
        
        # Gradient for x_norm
        dx_norm = dout * self.gamma.reshape(1, C, 1, 1)
        
        # Gradient for x
        dvar = (-0.5 * dx_norm * (x - mean.reshape(1, C, 1, 1)) / 
                (var.reshape(1, C, 1, 1) + self.eps) ** 1.5).sum(axis=(0, 2, 3))
        
        dmean = (-dx_norm / std.reshape(1, C, 1, 1)).sum(axis=(0, 2, 3))
        dmean += dvar * (-2 / m) * (x - mean.reshape(1, C, 1, 1)).sum(axis=(0, 2, 3))
        
        dx = dx_norm / std.reshape(1, C, 1, 1)
        dx += (2 / m) * dvar.reshape(1, C, 1, 1) * (x - mean.reshape(1, C, 1, 1))
        dx += dmean.reshape(1, C, 1, 1) / m
        
        return dx

class ReLU:
    """ReLU activation"""
    
    def __init__(self):
        self.cache = None
    
    def forward(self, x):
        self.cache = x
        return np.maximum(0, x)
    
    def backward(self, dout):
        x = self.cache
        return dout * (x > 0)

class BasicBlock:
    """
    ResNet Basic Block:
    x -> Conv3x3 -> BN -> ReLU -> Conv3x3 -> BN -> (+x) -> ReLU
    
    如果 stride > 1 或 in_channels != out_channels，
    shortcut 需要用 1x1 conv 來調整維度。
    """
    
    def __init__(self, in_channels, out_channels, stride=1):
        """
        Parameters
        ----------
        in_channels : int
            輸入 channels 數
        out_channels : int
            輸出 channels 數
        stride : int
            第一個 conv 的 stride（用於 downsample）
        """
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = stride
        
        # 主路徑
        # 第一個 conv：可能有 stride（用於 downsample）
        self.conv1 = Conv2D(in_channels, out_channels, kernel_size=3, 
                           stride=stride, padding=1)
        self.bn1 = BatchNorm2D(out_channels)
        self.relu1 = ReLU()
        
        # 第二個 conv：stride 固定為 1
        self.conv2 = Conv2D(out_channels, out_channels, kernel_size=3,
                           stride=1, padding=1)
        self.bn2 = BatchNorm2D(out_channels)
        
        # 最後的 ReLU（在 add 之後）
        self.relu2 = ReLU()
        
        # Shortcut：如果維度不匹配，需要 1x1 conv
        self.use_shortcut_conv = (stride != 1) or (in_channels != out_channels)
        if self.use_shortcut_conv:
            self.shortcut_conv = Conv2D(in_channels, out_channels, kernel_size=1,
                                        stride=stride, padding=0)
            self.shortcut_bn = BatchNorm2D(out_channels)
        
        self.cache = None
    
    def forward(self, x):
        """
        Forward pass
        
        Parameters
        ----------
        x : np.ndarray, shape (N, C_in, H, W)
        
        Returns
        -------
        out : np.ndarray, shape (N, C_out, H_out, W_out)
        """
        # 保存輸入
        identity = x
        
        # 主路徑
        out = self.conv1.forward(x)
        out = self.bn1.forward(out)
        out = self.relu1.forward(out)
        
        out = self.conv2.forward(out)
        out = self.bn2.forward(out)
        
        # Shortcut path
        if self.use_shortcut_conv:
            identity = self.shortcut_conv.forward(x)
            identity = self.shortcut_bn.forward(identity)
        
        # Residual addition
        out = out + identity
        
        # Final ReLU
        out = self.relu2.forward(out)
        
        self.cache = (x,)
        return out
    
    def backward(self, dout):
        """
        Backward pass
        
        關鍵：在 residual addition 處，梯度分流到兩條路徑
        
        Parameters
        ----------
        dout : np.ndarray, shape (N, C_out, H_out, W_out)
        
        Returns
        -------
        dx : np.ndarray, shape (N, C_in, H, W)
        """
        x, = self.cache
        
        # Backward through final ReLU
        dout = self.relu2.backward(dout)
        
        # 在 addition 處分流
        # d(out + identity) = dout for both branches
        d_main = dout  # 主路徑的梯度
        d_shortcut = dout.copy()  # shortcut 的梯度
        
        # 主路徑 backward
        d_main = self.bn2.backward(d_main)
        d_main = self.conv2.backward(d_main)
        
        d_main = self.relu1.backward(d_main)
        d_main = self.bn1.backward(d_main)
        d_main = self.conv1.backward(d_main)
        
        # Shortcut backward
        if self.use_shortcut_conv:
            d_shortcut = self.shortcut_bn.backward(d_shortcut)
            d_shortcut = self.shortcut_conv.backward(d_shortcut)
        
        # 合併兩條路徑的梯度
        dx = d_main + d_shortcut
        
        return dx
    
    def train(self):
        """Set to training mode"""
        self.bn1.training = True
        self.bn2.training = True
        if self.use_shortcut_conv:
            self.shortcut_bn.training = True
    
    def eval(self):
        """Set to evaluation mode"""
        self.bn1.training = False
        self.bn2.training = False
        if self.use_shortcut_conv:
            self.shortcut_bn.training = False

class GlobalAvgPool2D:
    """Global Average Pooling"""
    
    def __init__(self):
        self.cache = None
    
    def forward(self, x):
        """(N, C, H, W) -> (N, C)"""
        self.cache = x.shape
        return x.mean(axis=(2, 3))
    
    def backward(self, dout):
        """(N, C) -> (N, C, H, W)"""
        N, C, H, W = self.cache
        dx = dout.reshape(N, C, 1, 1) / (H * W)
        dx = np.broadcast_to(dx, (N, C, H, W)).copy()
        return dx


class FullyConnected:
    """Fully Connected Layer"""
    
    def __init__(self, in_features, out_features):
        scale = np.sqrt(2.0 / in_features)
        self.W = np.random.randn(in_features, out_features) * scale
        self.b = np.zeros(out_features)
        self.cache = None
        self.dW = None
        self.db = None
    
    def forward(self, x):
        self.cache = x
        return x @ self.W + self.b
    
    def backward(self, dout):
        x = self.cache
        self.dW = x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T

class TinyResNet:
    """
    一個小型 ResNet-style 網路
    
    結構：
    Conv3x3 -> BN -> ReLU -> 
    BasicBlock (16) x 2 ->
    BasicBlock (32, stride=2) -> BasicBlock (32) ->
    GlobalAvgPool -> FC -> Softmax
    """
    
    def __init__(self, num_classes=10):
        self.num_classes = num_classes
        
        # 初始卷積
        self.conv1 = Conv2D(1, 16, kernel_size=3, stride=1, padding=1)
        self.bn1 = BatchNorm2D(16)
        self.relu1 = ReLU()
        
        # Layer 1: 2 x BasicBlock (16 channels)
        self.layer1_block1 = BasicBlock(16, 16, stride=1)
        self.layer1_block2 = BasicBlock(16, 16, stride=1)
        
        # Layer 2: 2 x BasicBlock (32 channels), first one downsamples
        self.layer2_block1 = BasicBlock(16, 32, stride=2)
        self.layer2_block2 = BasicBlock(32, 32, stride=1)
        
        # Global Average Pooling + FC
        self.gap = GlobalAvgPool2D()
        self.fc = FullyConnected(32, num_classes)
    
    def forward(self, x):
        """Forward pass
        
        Parameters
        ----------
        x : np.ndarray, shape (N, 1, H, W)
        
        Returns
        -------
        logits : np.ndarray, shape (N, num_classes)
        """
        # Initial conv
        out = self.conv1.forward(x)
        out = self.bn1.forward(out)
        out = self.relu1.forward(out)
        
        # Layer 1
        out = self.layer1_block1.forward(out)
        out = self.layer1_block2.forward(out)
        
        # Layer 2
        out = self.layer2_block1.forward(out)
        out = self.layer2_block2.forward(out)
        
        # GAP + FC
        out = self.gap.forward(out)
        logits = self.fc.forward(out)
        
        return logits
    
    def backward(self, dlogits):
        """Backward pass"""
        # FC + GAP
        dout = self.fc.backward(dlogits)
        dout = self.gap.backward(dout)
        
        # Layer 2
        dout = self.layer2_block2.backward(dout)
        dout = self.layer2_block1.backward(dout)
        
        # Layer 1
        dout = self.layer1_block2.backward(dout)
        dout = self.layer1_block1.backward(dout)
        
        # Initial conv
        dout = self.relu1.backward(dout)
        dout = self.bn1.backward(dout)
        dout = self.conv1.backward(dout)
        
        return dout
    
    def get_params_and_grads(self):
        """獲取所有參數和梯度"""
        params = []
        grads = []
        
        # Conv1
        params.extend([self.conv1.W, self.conv1.b, self.bn1.gamma, self.bn1.beta])
        grads.extend([self.conv1.dW, self.conv1.db, self.bn1.dgamma, self.bn1.dbeta])
        
        # Layer 1
        for block in [self.layer1_block1, self.layer1_block2]:
            params.extend([block.conv1.W, block.conv1.b, block.bn1.gamma, block.bn1.beta,
                          block.conv2.W, block.conv2.b, block.bn2.gamma, block.bn2.beta])
            grads.extend([block.conv1.dW, block.conv1.db, block.bn1.dgamma, block.bn1.dbeta,
                         block.conv2.dW, block.conv2.db, block.bn2.dgamma, block.bn2.dbeta])
        
        # Layer 2
        for block in [self.layer2_block1, self.layer2_block2]:
            params.extend([block.conv1.W, block.conv1.b, block.bn1.gamma, block.bn1.beta,
                          block.conv2.W, block.conv2.b, block.bn2.gamma, block.bn2.beta])
            grads.extend([block.conv1.dW, block.conv1.db, block.bn1.dgamma, block.bn1.dbeta,
                         block.conv2.dW, block.conv2.db, block.bn2.dgamma, block.bn2.dbeta])
            if block.use_shortcut_conv:
                params.extend([block.shortcut_conv.W, block.shortcut_conv.b,
                              block.shortcut_bn.gamma, block.shortcut_bn.beta])
                grads.extend([block.shortcut_conv.dW, block.shortcut_conv.db,
                             block.shortcut_bn.dgamma, block.shortcut_bn.dbeta])
        
        # FC
        params.extend([self.fc.W, self.fc.b])
        grads.extend([self.fc.dW, self.fc.db])
        
        return params, grads
    
    def train(self):
        """Set to training mode"""
        self.bn1.training = True
        for block in [self.layer1_block1, self.layer1_block2,
                      self.layer2_block1, self.layer2_block2]:
            block.train()
    
    def eval(self):
        """Set to evaluation mode"""
        self.bn1.training = False
        for block in [self.layer1_block1, self.layer1_block2,
                      self.layer2_block1, self.layer2_block2]:
            block.eval()

# 建立一個沒有 residual connection 的對照網路

class PlainBlock:
    """沒有 residual connection 的 block"""
    
    def __init__(self, in_channels, out_channels, stride=1):
        self.conv1 = Conv2D(in_channels, out_channels, kernel_size=3,
                           stride=stride, padding=1)
        self.bn1 = BatchNorm2D(out_channels)
        self.relu1 = ReLU()
        
        self.conv2 = Conv2D(out_channels, out_channels, kernel_size=3,
                           stride=1, padding=1)
        self.bn2 = BatchNorm2D(out_channels)
        self.relu2 = ReLU()
        
        self.cache = None
    
    def forward(self, x):
        out = self.conv1.forward(x)
        out = self.bn1.forward(out)
        out = self.relu1.forward(out)
        
        out = self.conv2.forward(out)
        out = self.bn2.forward(out)
        out = self.relu2.forward(out)  # 沒有 + x
        
        self.cache = (x,)
        return out
    
    def backward(self, dout):
        dout = self.relu2.backward(dout)
        dout = self.bn2.backward(dout)
        dout = self.conv2.backward(dout)
        
        dout = self.relu1.backward(dout)
        dout = self.bn1.backward(dout)
        dout = self.conv1.backward(dout)
        
        return dout
    
    def train(self):
        self.bn1.training = True
        self.bn2.training = True
    
    def eval(self):
        self.bn1.training = False
        self.bn2.training = False

class TinyPlainNet:
    """沒有 residual connection 的網路"""
    
    def __init__(self, num_classes=10):
        self.num_classes = num_classes
        
        self.conv1 = Conv2D(1, 16, kernel_size=3, stride=1, padding=1)
        self.bn1 = BatchNorm2D(16)
        self.relu1 = ReLU()
        
        self.layer1_block1 = PlainBlock(16, 16, stride=1)
        self.layer1_block2 = PlainBlock(16, 16, stride=1)
        
        # 需要額外處理 channel 變化
        self.transition = Conv2D(16, 32, kernel_size=1, stride=2, padding=0)
        self.transition_bn = BatchNorm2D(32)
        self.transition_relu = ReLU()
        
        self.layer2_block1 = PlainBlock(32, 32, stride=1)
        self.layer2_block2 = PlainBlock(32, 32, stride=1)
        
        self.gap = GlobalAvgPool2D()
        self.fc = FullyConnected(32, num_classes)
    
    def forward(self, x):
        out = self.conv1.forward(x)
        out = self.bn1.forward(out)
        out = self.relu1.forward(out)
        
        out = self.layer1_block1.forward(out)
        out = self.layer1_block2.forward(out)
        
        out = self.transition.forward(out)
        out = self.transition_bn.forward(out)
        out = self.transition_relu.forward(out)
        
        out = self.layer2_block1.forward(out)
        out = self.layer2_block2.forward(out)
        
        out = self.gap.forward(out)
        logits = self.fc.forward(out)
        
        return logits
    
    def backward(self, dlogits):
        dout = self.fc.backward(dlogits)
        dout = self.gap.backward(dout)
        
        dout = self.layer2_block2.backward(dout)
        dout = self.layer2_block1.backward(dout)
        
        dout = self.transition_relu.backward(dout)
        dout = self.transition_bn.backward(dout)
        dout = self.transition.backward(dout)
        
        dout = self.layer1_block2.backward(dout)
        dout = self.layer1_block1.backward(dout)
        
        dout = self.relu1.backward(dout)
        dout = self.bn1.backward(dout)
        dout = self.conv1.backward(dout)
        
        return dout
    
    def get_params_and_grads(self):
        params = []
        grads = []
        
        params.extend([self.conv1.W, self.conv1.b, self.bn1.gamma, self.bn1.beta])
        grads.extend([self.conv1.dW, self.conv1.db, self.bn1.dgamma, self.bn1.dbeta])
        
        for block in [self.layer1_block1, self.layer1_block2]:
            params.extend([block.conv1.W, block.conv1.b, block.bn1.gamma, block.bn1.beta,
                          block.conv2.W, block.conv2.b, block.bn2.gamma, block.bn2.beta])
            grads.extend([block.conv1.dW, block.conv1.db, block.bn1.dgamma, block.bn1.dbeta,
                         block.conv2.dW, block.conv2.db, block.bn2.dgamma, block.bn2.dbeta])
        
        params.extend([self.transition.W, self.transition.b,
                      self.transition_bn.gamma, self.transition_bn.beta])
        grads.extend([self.transition.dW, self.transition.db,
                     self.transition_bn.dgamma, self.transition_bn.dbeta])
        
        for block in [self.layer2_block1, self.layer2_block2]:
            params.extend([block.conv1.W, block.conv1.b, block.bn1.gamma, block.bn1.beta,
                          block.conv2.W, block.conv2.b, block.bn2.gamma, block.bn2.beta])
            grads.extend([block.conv1.dW, block.conv1.db, block.bn1.dgamma, block.bn1.dbeta,
                         block.conv2.dW, block.conv2.db, block.bn2.dgamma, block.bn2.dbeta])
        
        params.extend([self.fc.W, self.fc.b])
        grads.extend([self.fc.dW, self.fc.db])
        
        return params, grads
    
    def train(self):
        self.bn1.training = True
        self.transition_bn.training = True
        for block in [self.layer1_block1, self.layer1_block2,
                      self.layer2_block1, self.layer2_block2]:
            block.train()
    
    def eval(self):
        self.bn1.training = False
        self.transition_bn.training = False
        for block in [self.layer1_block1, self.layer1_block2,
                      self.layer2_block1, self.layer2_block2]:
            block.eval()

# 生成合成數據集

def generate_simple_shapes(n_samples, img_size=32):
    """生成簡單的形狀分類數據
    
    4 類：水平線、垂直線、對角線（左上到右下）、對角線（右上到左下）
    """
    X = np.zeros((n_samples, 1, img_size, img_size))
    y = np.zeros(n_samples, dtype=int)
    
    for i in range(n_samples):
        label = np.random.randint(4)
        y[i] = label
        
        # 隨機位置和一點噪音
        noise = np.random.randn(img_size, img_size) * 0.1
        
        if label == 0:  # 水平線
            row = np.random.randint(5, img_size - 5)
            X[i, 0, row-1:row+2, 5:-5] = 1
        elif label == 1:  # 垂直線
            col = np.random.randint(5, img_size - 5)
            X[i, 0, 5:-5, col-1:col+2] = 1
        elif label == 2:  # 對角線 (\\)
            for j in range(-1, 2):
                np.fill_diagonal(X[i, 0, :, max(0, j):], 1)
        else:  # 對角線 (/)
            for j in range(-1, 2):
                np.fill_diagonal(np.fliplr(X[i, 0])[:, max(0, j):], 1)
        
        X[i, 0] += noise
    
    return X.astype(np.float32), y

# 生成數據
np.random.seed(42)
X_train, y_train = generate_simple_shapes(400, img_size=32)
X_test, y_test = generate_simple_shapes(100, img_size=32)

print(f"Training set: {X_train.shape}, {y_train.shape}")
print(f"Test set: {X_test.shape}, {y_test.shape}")

# 顯示樣本
labels = ['Horizontal', 'Vertical', 'Diagonal \\', 'Diagonal /']
for i in range(4):
    idx = np.where(y_train == i)[0][0]
    
    idx = np.where(y_train == i)[0][1]


def softmax(x):
    """Numerically stable softmax"""
    x_max = np.max(x, axis=1, keepdims=True)
    exp_x = np.exp(x - x_max)
    return exp_x / np.sum(exp_x, axis=1, keepdims=True)

def cross_entropy_loss(logits, y):
    """Cross-entropy loss"""
    N = logits.shape[0]
    probs = softmax(logits)
    loss = -np.mean(np.log(probs[np.arange(N), y] + 1e-8))
    
    # Gradient
    dlogits = probs.copy()
    dlogits[np.arange(N), y] -= 1
    dlogits /= N
    
    return loss, dlogits

def accuracy(logits, y):
    """Compute accuracy"""
    preds = np.argmax(logits, axis=1)
    return np.mean(preds == y)

def train_model(model, X_train, y_train, X_test, y_test, 
                epochs=30, batch_size=32, lr=0.01, momentum=0.9):
    """訓練模型"""
    n_samples = X_train.shape[0]
    n_batches = n_samples // batch_size
    
    # Momentum velocities
    params, _ = model.get_params_and_grads()
    velocities = [np.zeros_like(p) for p in params]
    
    train_losses = []
    train_accs = []
    test_accs = []
    
    for epoch in range(epochs):
        # Shuffle
        indices = np.random.permutation(n_samples)
        X_shuffled = X_train[indices]
        y_shuffled = y_train[indices]
        
        epoch_loss = 0
        epoch_correct = 0
        
        model.train()
        
        for i in range(n_batches):
            start = i * batch_size
            end = start + batch_size
            X_batch = X_shuffled[start:end]
            y_batch = y_shuffled[start:end]
            
            # Forward
            logits = model.forward(X_batch)
            loss, dlogits = cross_entropy_loss(logits, y_batch)
            
            # Backward
            model.backward(dlogits)
            
            # Update with momentum SGD
            params, grads = model.get_params_and_grads()
            for j, (p, g) in enumerate(zip(params, grads)):
                if g is not None:
                    velocities[j] = momentum * velocities[j] - lr * g
                    p += velocities[j]
            
            epoch_loss += loss
            epoch_correct += np.sum(np.argmax(logits, axis=1) == y_batch)
        
        # Epoch metrics
        train_loss = epoch_loss / n_batches
        train_acc = epoch_correct / (n_batches * batch_size)
        
        # Test accuracy
        model.eval()
        test_logits = model.forward(X_test)
        test_acc = accuracy(test_logits, y_test)
        
        train_losses.append(train_loss)
        train_accs.append(train_acc)
        test_accs.append(test_acc)
        
        if (epoch + 1) % 5 == 0:
            print(f"Epoch {epoch+1:3d}: loss={train_loss:.4f}, "
                  f"train_acc={train_acc:.4f}, test_acc={test_acc:.4f}")
    
    return train_losses, train_accs, test_accs

