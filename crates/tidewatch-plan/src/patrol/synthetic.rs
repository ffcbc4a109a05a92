//! Random covering instances the size of a province, and the files a peer solver reads.
//!
//! A square of `side_km`; demand clustered around towns (a few large, many small: sizes
//! drawn heavy-tailed) with a scatter of rural points; weights 1–10; candidate sites
//! half near towns, half anywhere; a site covers the points within `radius_km` (straight
//! line: this instance tests the solver, not the roads). Seeded, so a figure can be
//! re-made.

use serde::Serialize;

use super::mclp::Coverage;
use tidewatch_core::rng::Rng;
use tidewatch_core::Error;

#[derive(Debug, Clone, Serialize)]
pub struct SyntheticOptions {
    pub sites: usize,
    pub demand: usize,
    pub towns: usize,
    pub side_km: f64,
    pub radius_km: f64,
    pub seed: u64,
}

impl SyntheticOptions {
    /// The province: 5,000 sites, 50,000 demand points.
    pub fn province(seed: u64) -> SyntheticOptions {
        SyntheticOptions { sites: 5_000, demand: 50_000, towns: 400, side_km: 300.0, radius_km: 8.0, seed }
    }

    fn check(&self) -> Result<(), Error> {
        if !(1..=100_000).contains(&self.sites) || !(1..=1_000_000).contains(&self.demand) || !(1..=100_000).contains(&self.towns) {
            return Err(Error::invalid("synthetic", "1–100 000 sites and towns, 1–1 000 000 demand points"));
        }
        if !(self.side_km > 0.0 && self.side_km <= 10_000.0 && self.radius_km > 0.0 && self.radius_km <= self.side_km) {
            return Err(Error::invalid("synthetic", "a side of (0, 10 000] km and a radius of (0, side]"));
        }
        Ok(())
    }
}

/// A generated instance: points in km and the coverage they give.
pub struct Synthetic {
    pub sites: Vec<(f64, f64)>,
    pub demand: Vec<(f64, f64)>,
    pub weights: Vec<f64>,
    pub coverage: Coverage,
}

/// A normal deviate (Box–Muller).
fn gauss(rng: &mut Rng) -> f64 {
    let u = rng.unit().max(1e-12);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * rng.unit()).cos()
}

fn clamp(x: f64, side: f64) -> f64 {
    x.clamp(0.0, side)
}

pub fn generate(o: &SyntheticOptions) -> Result<Synthetic, Error> {
    o.check()?;
    let mut rng = Rng::new(o.seed);
    let side = o.side_km;
    // Towns: position, spread (km) and pull (heavy-tailed: Pareto-like).
    let towns: Vec<(f64, f64, f64, f64)> = (0..o.towns)
        .map(|_| {
            let pull = 1.0 / rng.unit().max(1e-3).powf(0.8);
            (rng.unit() * side, rng.unit() * side, 1.0 + pull.sqrt(), pull)
        })
        .collect();
    let pulls: Vec<f64> = towns.iter().map(|t| t.3).collect();
    let near_town = |rng: &mut Rng, scale: f64| {
        let (x, y, spread, _) = towns[rng.weighted(&pulls)];
        (clamp(x + gauss(rng) * spread * scale, side), clamp(y + gauss(rng) * spread * scale, side))
    };
    let demand: Vec<(f64, f64)> =
        (0..o.demand).map(|_| if rng.chance(0.85) { near_town(&mut rng, 1.0) } else { (rng.unit() * side, rng.unit() * side) }).collect();
    let weights: Vec<f64> = (0..o.demand).map(|_| rng.range(1, 11) as f64).collect();
    let sites: Vec<(f64, f64)> =
        (0..o.sites).map(|_| if rng.chance(0.5) { near_town(&mut rng, 2.0) } else { (rng.unit() * side, rng.unit() * side) }).collect();
    let covers = within(&sites, &demand, o.radius_km, side);
    let coverage = Coverage::new(sites.len(), weights.clone(), covers)?;
    Ok(Synthetic { sites, demand, weights, coverage })
}

/// For each demand point, the sites within `r` (a grid of `r`-sized cells).
fn within(sites: &[(f64, f64)], demand: &[(f64, f64)], r: f64, side: f64) -> Vec<Vec<u32>> {
    let cells = ((side / r).ceil() as usize).max(1);
    let cell = |v: f64| ((v / r) as usize).min(cells - 1);
    let mut grid: Vec<Vec<u32>> = vec![Vec::new(); cells * cells];
    for (j, &(x, y)) in sites.iter().enumerate() {
        grid[cell(y) * cells + cell(x)].push(j as u32);
    }
    demand
        .iter()
        .map(|&(x, y)| {
            let (cx, cy) = (cell(x), cell(y));
            let mut out = Vec::new();
            for gy in cy.saturating_sub(1)..=(cy + 1).min(cells - 1) {
                for gx in cx.saturating_sub(1)..=(cx + 1).min(cells - 1) {
                    for &j in &grid[gy * cells + gx] {
                        let (sx, sy) = sites[j as usize];
                        if (sx - x).powi(2) + (sy - y).powi(2) <= r * r {
                            out.push(j);
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// The instance as a peer solver reads it: `{"p", "sites", "weights", "covers"}` (JSON;
/// `covers[i]` lists the sites that reach demand point `i`).
pub fn to_json(cov: &Coverage, p: usize) -> serde_json::Value {
    let covers: Vec<&[u32]> = (0..cov.demand_points()).map(|i| cov.covers(i)).collect();
    let weights: Vec<f64> = (0..cov.demand_points()).map(|i| cov.weight(i)).collect();
    serde_json::json!({ "p": p, "sites": cov.sites(), "weights": weights, "covers": covers })
}

/// An instance written by [`to_json`], read back: the coverage and `p`.
pub fn from_json(text: &str) -> Result<(Coverage, usize), Error> {
    #[derive(serde::Deserialize)]
    struct File {
        p: usize,
        sites: usize,
        weights: Vec<f64>,
        covers: Vec<Vec<u32>>,
    }
    let f: File = serde_json::from_str(text).map_err(|e| Error::invalid("instance", e.to_string()))?;
    Ok((Coverage::new(f.sites, f.weights, f.covers)?, f.p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_instance_is_seeded_and_its_cover_lists_are_exact() {
        let o = SyntheticOptions { sites: 60, demand: 400, towns: 5, side_km: 50.0, radius_km: 6.0, seed: 3 };
        let a = generate(&o).unwrap();
        let b = generate(&o).unwrap();
        assert_eq!(a.coverage, b.coverage);
        for (i, &(x, y)) in a.demand.iter().enumerate() {
            let brute: Vec<u32> = (0..a.sites.len() as u32)
                .filter(|&j| {
                    let (sx, sy) = a.sites[j as usize];
                    (sx - x).powi(2) + (sy - y).powi(2) <= 36.0
                })
                .collect();
            assert_eq!(a.coverage.covers(i), brute.as_slice(), "point {i}");
        }
        let (back, p) = from_json(&to_json(&a.coverage, 7).to_string()).unwrap();
        assert_eq!((back, p), (a.coverage.clone(), 7));
        assert!(from_json("{\"p\": 1}").is_err());
        assert!(generate(&SyntheticOptions { radius_km: 0.0, ..o.clone() }).is_err());
        assert!(generate(&SyntheticOptions { sites: 0, ..o }).is_err());
    }
}
