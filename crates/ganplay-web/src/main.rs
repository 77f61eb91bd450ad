//! ganplay's page: pick a toy distribution and a GAN, train it live in the browser.

mod app;
mod backend;
mod bench;
mod engine;
mod knobs;
mod pacer;
mod plot;
mod url_state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
