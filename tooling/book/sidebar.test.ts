import { describe, expect, it } from 'vitest'
import { buildSidebar, chapterEntry } from './sidebar.ts'

const page = (title: string, part: string, chapter: number) => `---\ntitle: ${title}\npart: ${part}\nchapter: ${chapter}\n---\n\n# ${title}\n`

describe('sidebar', () => {
  it('labels chapters "N. Title", groups them by part in book order', () => {
    const entries = [
      chapterEntry('02-tensors.md', page('Tensors', 'The parts', 2)),
      chapterEntry('00-how-to-read.md', page('How to read this book', 'Getting started', 0)),
      chapterEntry('10-resnet.md', page('ResNet', 'Deeper', 10)),
      chapterEntry('01-why.md', page('Why depth is hard', 'Getting started', 1)),
    ]
    expect(buildSidebar(entries)).toEqual([
      {
        text: 'Getting started',
        items: [
          { text: '0. How to read this book', link: '/00-how-to-read' },
          { text: '1. Why depth is hard', link: '/01-why' },
        ],
      },
      { text: 'The parts', items: [{ text: '2. Tensors', link: '/02-tensors' }] },
      { text: 'Deeper', items: [{ text: '10. ResNet', link: '/10-resnet' }] },
    ])
  })

  it('falls back to the first heading and the file number without front matter', () => {
    expect(chapterEntry('07-sgd.md', '# Losses and SGD\n\ntext\n')).toEqual({
      file: '07-sgd.md',
      link: '/07-sgd',
      number: 7,
      title: 'Losses and SGD',
      part: 'Chapters',
    })
  })
})
