//! What the desk draws: a region flattened into map layers.
