// The training worker: the page posts its own compiled wasm module and the URL of its glue
// script; starting that module here runs its worker role (crates/ganplay-web/src/worker.rs).
self.onmessage = async ({ data: { glue, module } }) => {
  self.onmessage = null;
  const { default: init } = await import(glue);
  await init({ module_or_path: module });
};
