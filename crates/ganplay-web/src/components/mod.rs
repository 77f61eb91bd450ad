//! The parts of the page that no one feature owns (the controls, the plots, the read-outs), one
//! component per file.

pub mod backend_picker;
pub mod controls;
pub mod error_banner;
pub mod fields;
pub mod model_facts;
pub mod plots;
pub mod preset_picker;
pub mod readouts;
pub mod transport;
