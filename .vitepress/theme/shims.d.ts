// What `npm run typecheck` (plain tsc, no vue-tsc) needs to know of the files Vite bundles itself:
// a .vue single-file component is a Vue component; a .css import has no value.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
declare module '*.css'
