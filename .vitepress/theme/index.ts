/** The default theme, plus the styles of the book's code blocks, outputs and figures, and the live demos. */
import type { Theme } from 'vitepress'
import DefaultTheme from 'vitepress/theme'
import TrainTinyNets from './train-demo/TrainTinyNets.vue'
import './book.css'

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    // <TrainTinyNets /> in any chapter: TinyResNet and TinyPlainNet trained live (chapter 13)
    app.component('TrainTinyNets', TrainTinyNets)
  },
} satisfies Theme
