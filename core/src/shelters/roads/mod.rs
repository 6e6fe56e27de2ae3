//! The road network on the device: imported once from OpenStreetMap data
//! (PBF or GeoJSON), kept as a compact graph file, and searched offline with
//! one Dijkstra run per query.

mod class;
mod file;
mod import;
mod network;
mod route;

pub use class::{tenths_of_second, Direction, RoadClass, ACCESS_WALK_KMH};
pub use file::ROAD_FORMAT_VERSION;
pub use import::{
    import_geojson, import_pbf, import_roads, RoadFormat, RoadImportReport, WaysPerClass,
    MAX_ROAD_FILE_BYTES,
};
pub use network::{RoadBuilder, RoadNetwork, RoadSummary, MAX_NODES};
pub use route::{Destination, Reach, Reached};
