//! Identifier newtypes: a unit id cannot be passed where a place id is expected.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
    };
}

id_type!(
    /// An island of a region pack (`islands.geojson` `id`).
    IslandId
);
id_type!(
    /// A place: station, post, pier, village, junction... (`places.csv` `id`).
    PlaceId
);
id_type!(
    /// A patrol unit (`units.csv` `id`).
    UnitId
);
id_type!(
    /// An officer (`officers.csv` `id`).
    OfficerId
);
id_type!(
    /// A bridge (`bridges.csv` `id`).
    BridgeId
);
id_type!(
    /// A ferry route (`ferry_routes.csv` `id`).
    FerryRouteId
);
id_type!(
    /// An incident type (`incident_types.csv` `id`).
    IncidentTypeId
);

/// An incident: the journal's incident number. Numbers (unlike the names above) because the
/// journal counts them; serialised as the bare number, so the IPC and the events read as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct IncidentId(pub i64);

impl std::fmt::Display for IncidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
