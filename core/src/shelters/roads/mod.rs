//! The road network on the device: imported once from OpenStreetMap data
//! (PBF or GeoJSON), kept as a compact graph file, and searched offline with
//! one Dijkstra run per query; or published by the province in signed,
//! content-defined chunks ([`RoadManifest`]) that sync fetches as a delta.
//! It also holds the named villages and settlements of the map
//! ([`Places`]), to search from one chosen by name.

mod class;
mod file;
mod import;
mod network;
mod places;
mod publication;
mod route;

pub use class::{tenths_of_second, Direction, RoadClass, ACCESS_WALK_KMH};
pub(crate) use file::write_atomically;
pub use file::ROAD_FORMAT_VERSION;
pub use import::{
    import_geojson, import_pbf, import_roads, RoadFormat, RoadImportReport, WaysPerClass,
    MAX_ROAD_FILE_BYTES,
};
pub use network::{RoadBuilder, RoadNetwork, RoadSummary, MAX_NODES};
pub(crate) use places::commune_named;
pub use places::{search_key, Place, Places, SettlementKind, MAX_PLACES, MAX_PLACE_NAME_CHARS};
pub use publication::{
    check_chunk, split_into_chunks, ChunkHash, ChunkRef, RoadManifest, CHUNK_AVG_BYTES,
    CHUNK_MAX_BYTES, CHUNK_MIN_BYTES, MAX_ROAD_NETWORK_BYTES,
};
pub use route::{Destination, Reach, Reached};
