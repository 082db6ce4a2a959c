/** The default theme, plus the styles of the book's code blocks, outputs and figures. */
import DefaultTheme from 'vitepress/theme'
import './book.css'

export default DefaultTheme
