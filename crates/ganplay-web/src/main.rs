//! ganplay's page: pick data (toy 2D distributions or digits) and a model, train it live in the
//! browser, load and save weights.

mod app;
mod backend;
mod bench;
mod engine;
mod knobs;
mod pacer;
mod plot;
mod url_state;
mod weights_io;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
