// Stylesheets are bundled as text (esbuild's `text` loader for .css) and added to the page
// by script; this tells TypeScript what such an import gives.
declare module '*.css' {
  const text: string;
  export default text;
}
