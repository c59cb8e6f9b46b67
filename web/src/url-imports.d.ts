/** Vite's `?url` imports (a file of the package, emitted as a hashed asset): the URL it is served at. */
declare module '*?url' {
  const url: string;
  export default url;
}
