//! The page's parts, one component per file.

pub mod augment_panel;
pub mod backend_picker;
pub mod bench_panel;
pub mod compare_panel;
pub mod controls;
pub mod discriminator_view;
pub mod error_banner;
pub mod few_labels_panel;
pub mod fields;
pub mod image_panels;
pub mod layer_toggles;
pub mod model_facts;
pub mod overview;
pub mod plots;
pub mod preset_picker;
pub mod quality_panel;
pub mod readouts;
pub mod sample_inspector;
pub mod saved_run_banner;
pub mod transport;
pub mod weights_panel;
