// Imported `with { type: 'file' }`, so Bun hands over the file's path (embedded in the binary), not a module.
declare module '*/@scalar/api-reference/dist/browser/standalone.js' {
  const path: string
  export default path
}
