//! The plots: each owns its canvas and redraws when its props change.

use std::rc::Rc;

use ganplay_model::{ImageShape, Normalisation};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::engine::{Encoded, LossPoint, Manifold};
use crate::plot::{Arrow, Scatter, draw_encodings, draw_images, draw_losses, draw_scatter};

/// Side of the sample scatter in canvas pixels.
pub const SAMPLE_CANVAS_PX: u32 = 480;

/// Calls `draw` with the canvas after every render whose props differ from the last.
#[hook]
pub fn use_redraw<P: PartialEq + Clone + 'static>(
    props: &P,
    draw: fn(&HtmlCanvasElement, &P),
) -> NodeRef {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(props.clone(), move |props| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                draw(&c, props);
            }
        });
    }
    canvas
}

#[derive(Properties, PartialEq, Clone)]
pub struct ScatterProps {
    pub extent: f32,
    pub real: Rc<[[f32; 2]]>,
    pub generated: Rc<[[f32; 2]]>,
    pub surface: Option<Rc<[f32]>>,
    pub drawn: Rc<[[f32; 2]]>,
    #[prop_or_default]
    pub manifold: Option<Manifold>,
    /// Generated points and where the generator's loss pushes them.
    #[prop_or_default]
    pub arrows: Option<Rc<[Arrow]>>,
    /// A click, in canvas pixels.
    pub onclick: Callback<(f64, f64)>,
    #[prop_or("sample-canvas")]
    pub test_id: &'static str,
}

/// Real points, generated points and the discriminator's decision surface behind them, with the
/// generator's manifold and gradient arrows.
#[function_component]
pub fn ScatterPlot(props: &ScatterProps) -> Html {
    let canvas = use_redraw(props, |c, p| {
        c.set_width(SAMPLE_CANVAS_PX);
        c.set_height(SAMPLE_CANVAS_PX);
        let scatter = Scatter {
            extent: p.extent,
            real: &p.real,
            generated: &p.generated,
            surface: p.surface.as_deref(),
            drawn: &p.drawn,
            manifold: p
                .manifold
                .as_ref()
                .map(|m| (&m.points[..], m.rows, m.columns)),
            arrows: p.arrows.as_deref().unwrap_or_default(),
        };
        draw_scatter(c, &scatter);
    });
    let onclick = props.onclick.reform(canvas_pixel);
    let px = SAMPLE_CANVAS_PX.to_string();
    html! {
        <canvas ref={canvas} data-testid={props.test_id} width={px.clone()} height={px} {onclick} />
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct LossChartProps {
    pub history: Rc<[LossPoint]>,
    pub names: [&'static str; 2],
    #[prop_or("loss-chart")]
    pub test_id: &'static str,
}

/// Two series over training steps: the losses, or the divergences of a 2D model.
#[function_component]
pub fn LossChart(props: &LossChartProps) -> Html {
    let canvas = use_redraw(props, |c, p| draw_losses(c, &p.history, p.names));
    html! { <canvas ref={canvas} data-testid={props.test_id} width="480" height="200" /> }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ImageGridProps {
    pub test_id: &'static str,
    pub pixels: Rc<[f32]>,
    pub shape: ImageShape,
    pub norm: Normalisation,
    pub columns: usize,
    #[prop_or_default]
    pub class: Classes,
    /// A click, in canvas pixels.
    #[prop_or_default]
    pub onclick: Option<Callback<(f64, f64)>>,
}

/// Images in a grid, one canvas pixel per image pixel (CSS scales it up).
#[function_component]
pub fn ImageGrid(props: &ImageGridProps) -> Html {
    let canvas = use_redraw(props, |c, p| {
        draw_images(c, &p.pixels, p.shape, p.norm, p.columns)
    });
    let onclick = props
        .onclick
        .as_ref()
        .map(|click| click.reform(canvas_pixel));
    html! { <canvas ref={canvas} data-testid={props.test_id} class={props.class.clone()} {onclick} /> }
}

/// Where a click landed, in canvas pixels: canvases are often drawn larger or smaller than their
/// pixel size.
fn canvas_pixel(e: MouseEvent) -> (f64, f64) {
    let canvas: HtmlCanvasElement = e.target_unchecked_into();
    let scale_x = canvas.width() as f64 / canvas.client_width().max(1) as f64;
    let scale_y = canvas.height() as f64 / canvas.client_height().max(1) as f64;
    (e.offset_x() as f64 * scale_x, e.offset_y() as f64 * scale_y)
}

#[derive(Properties, PartialEq, Clone)]
pub struct EncodingsProps {
    pub points: Rc<[Encoded]>,
}

/// Encoded test digits in the latent plane, coloured by class.
#[function_component]
pub fn EncodingsPlot(props: &EncodingsProps) -> Html {
    let canvas = use_redraw(props, |c, p| draw_encodings(c, &p.points));
    html! { <canvas ref={canvas} data-testid="latent-scatter-canvas" width="320" height="320" /> }
}
