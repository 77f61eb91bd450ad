//! The page's benchmark: training steps per second of the shared benchmark cases on the backend
//! in use, while nothing else trains.

mod panel;
mod run;

use yew::prelude::*;

use panel::BenchPanel;

use crate::app::{App, Msg};

/// The last run's lines, one per case (or why it failed).
#[derive(Default)]
pub struct Bench {
    lines: Vec<String>,
}

pub enum BenchMsg {
    Start,
    Done(Result<Vec<String>, String>),
}

impl App {
    pub(crate) fn bench_message(&mut self, ctx: &Context<Self>, msg: BenchMsg) {
        match msg {
            BenchMsg::Start => self.start_bench(ctx),
            BenchMsg::Done(result) => {
                self.activity.finished();
                self.bench.lines = match result {
                    Ok(lines) => lines,
                    Err(e) => vec![format!("benchmark failed: {e}")],
                };
            }
        }
    }

    fn start_bench(&mut self, ctx: &Context<Self>) {
        let Some(device) = self.device.clone() else {
            return;
        };
        if !self.activity.measure() {
            return;
        }
        self.bench.lines = vec!["running…".into()];
        ctx.link()
            .send_future(async move { Msg::Bench(BenchMsg::Done(run::run(device, 3.0).await)) });
    }

    pub(crate) fn view_bench(&self, link: &html::Scope<Self>) -> Html {
        html! {
            <BenchPanel disabled={!self.activity.may_use_files() || self.device.is_none()}
                lines={self.bench.lines.clone()} on_run={link.callback(|_| Msg::Bench(BenchMsg::Start))} />
        }
    }
}
