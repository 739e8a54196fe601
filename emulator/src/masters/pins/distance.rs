//! The pin-to-pin road distance the IRP computes for an e-way bill sent with `Distance` 0.
//!
//! NIC reads a routed "motorable distance" master the emulator does not have. Great-circle
//! distance between prefix centroids times a road factor lands within about 10 % of real
//! road distances for most pairs; the two places where geometry is badly wrong (the
//! North-East, reached only through the Siliguri corridor, and the islands, not reached
//! by road at all) get explicit rules. Every constant is a field so a test suite can pin
//! the model it expects.

use super::{FOREIGN_PIN, Prefix, prefix_of};

/// Mean Earth radius (IUGG), km.
const EARTH_RADIUS_KM: f64 = 6371.0088;
/// The Siliguri corridor waypoint, (lat, lon) in degrees.
const CORRIDOR: (f64, f64) = (26.70, 88.40);
/// State codes of the North-East (Arunachal Pradesh 12 to Assam 18).
const NORTH_EAST: std::ops::RangeInclusive<u8> = 12..=18;
/// The largest distance an e-way bill may carry (schema maximum).
const MAX_KM: u32 = 4000;

/// Why no distance could be computed; each maps to an IRP error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistanceError {
    /// From- and to-PIN are the same: the caller must send the distance (4029).
    SamePin,
    /// One end is 999999, outside India (4034).
    ForeignPin,
    /// The pair has no road distance: an unknown prefix or an island (4030).
    NotAvailable,
    /// The computed distance (km) exceeds the 4000 km maximum (4038).
    TooFar(u32),
}

/// Tuning of the distance estimate. `Default` is the reference pack's model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistanceModel {
    /// Road distance over great-circle distance (1.2–1.3 for most Indian pairs).
    pub road_factor: f64,
    /// Distance (km) between two different PINs of one prefix, which share a centroid.
    pub intra_prefix_km: u32,
    /// Route North-East traffic through the Siliguri corridor (26.70 N, 88.40 E).
    pub corridor: bool,
    /// Refuse a distance to or from the Andaman and Nicobar (744) or Lakshadweep
    /// (682551–682559) islands, unless both ends are on the same island group.
    pub islands_unrouted: bool,
}

impl Default for DistanceModel {
    fn default() -> Self {
        Self {
            road_factor: 1.25,
            intra_prefix_km: 50,
            corridor: true,
            islands_unrouted: true,
        }
    }
}

/// Island groups with no road to the mainland or to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Island {
    AndamanNicobar,
    Lakshadweep,
}

fn island(pin: u32) -> Option<Island> {
    if pin / 1000 == 744 {
        Some(Island::AndamanNicobar)
    } else if (682_551..=682_559).contains(&pin) {
        Some(Island::Lakshadweep)
    } else {
        None
    }
}

impl DistanceModel {
    /// Estimated road distance in whole km (at least 1) from PIN `from` to PIN `to`.
    ///
    /// The answer does not depend on direction.
    pub fn distance_km(&self, from: u32, to: u32) -> Result<u32, DistanceError> {
        if from == FOREIGN_PIN || to == FOREIGN_PIN {
            return Err(DistanceError::ForeignPin);
        }
        if from == to {
            return Err(DistanceError::SamePin);
        }
        // Ordered so that floating-point rounding cannot make A→B differ from B→A.
        let (low, high) = (from.min(to), from.max(to));
        let (Some(a), Some(b)) = (prefix_of(low), prefix_of(high)) else {
            return Err(DistanceError::NotAvailable);
        };
        let (island_a, island_b) = (island(low), island(high));
        if self.islands_unrouted
            && (island_a.is_some() || island_b.is_some())
            && island_a != island_b
        {
            return Err(DistanceError::NotAvailable);
        }
        let km = if a.prefix == b.prefix {
            self.intra_prefix_km
        } else {
            round_half_up(self.great_circle_km(a, b) * self.road_factor)
        }
        .max(1);
        if km > MAX_KM {
            return Err(DistanceError::TooFar(km));
        }
        Ok(km)
    }

    fn great_circle_km(&self, a: &Prefix, b: &Prefix) -> f64 {
        let (pa, pb) = ((a.lat, a.lon), (b.lat, b.lon));
        if self.corridor && (crosses_corridor(a, b) || crosses_corridor(b, a)) {
            haversine_km(pa, CORRIDOR) + haversine_km(CORRIDOR, pb)
        } else {
            haversine_km(pa, pb)
        }
    }
}

/// `ne` is in the North-East and `other` lies west of the corridor.
fn crosses_corridor(ne: &Prefix, other: &Prefix) -> bool {
    ne.state_codes
        .first()
        .is_some_and(|code| NORTH_EAST.contains(code))
        && other.lon < CORRIDOR.1
}

/// Great-circle distance between two `(lat, lon)` points in degrees.
fn haversine_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let h = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    // Rounding can push h a hair past 1 for antipodal points; asin would return NaN.
    2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin()
}

/// Rounds a non-negative distance to whole km, halves up; out-of-range values saturate.
fn round_half_up(km: f64) -> u32 {
    // `as` saturates (and maps NaN to 0), which is the wanted behaviour here.
    (km + 0.5).floor() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use DistanceError::{ForeignPin, NotAvailable, SamePin, TooFar};
    use proptest::prelude::*;

    fn km(from: u32, to: u32) -> Result<u32, DistanceError> {
        DistanceModel::default().distance_km(from, to)
    }

    #[test]
    fn worked_examples() {
        assert_eq!(km(110_001, 400_001), Ok(1436), "New Delhi - Mumbai");
        assert_eq!(km(560_001, 600_001), Ok(353), "Bengaluru - Chennai");
        assert_eq!(
            km(700_001, 781_001),
            Ok(962),
            "Kolkata - Guwahati via Siliguri"
        );
    }

    #[test]
    fn corridor_can_be_switched_off() {
        let straight = DistanceModel {
            corridor: false,
            ..DistanceModel::default()
        };
        assert_eq!(straight.distance_km(700_001, 781_001), Ok(644));
        // Both ends east of the corridor: the rule does not apply.
        assert_eq!(km(781_001, 799_001), straight.distance_km(781_001, 799_001));
    }

    #[test]
    fn edge_cases() {
        assert_eq!(km(560_001, 560_001), Err(SamePin));
        assert_eq!(km(560_001, 999_999), Err(ForeignPin));
        assert_eq!(km(999_999, 560_001), Err(ForeignPin));
        assert_eq!(km(999_999, 999_999), Err(ForeignPin));
        assert_eq!(km(560_001, 560_100), Ok(50));
        assert_eq!(km(560_001, 999_001), Err(NotAvailable));
        assert_eq!(km(900_001, 560_001), Err(NotAvailable));
        assert_eq!(km(12_345, 560_001), Err(NotAvailable));
    }

    #[test]
    fn islands() {
        assert_eq!(km(744_101, 600_001), Err(NotAvailable));
        assert_eq!(km(682_555, 682_001), Err(NotAvailable));
        assert_eq!(km(682_555, 744_101), Err(NotAvailable));
        assert_eq!(km(744_101, 744_202), Ok(50));
        assert_eq!(km(682_551, 682_559), Ok(50));
        // Mainland PINs of prefix 682 (Kochi) are routed normally.
        assert_eq!(km(682_001, 682_560), Ok(50));
        let routed = DistanceModel {
            islands_unrouted: false,
            ..DistanceModel::default()
        };
        assert!(routed.distance_km(744_101, 600_001).is_ok());
        assert_eq!(routed.distance_km(682_555, 682_001), Ok(50));
    }

    #[test]
    fn too_far_and_minimum() {
        let stretched = DistanceModel {
            road_factor: 4.0,
            ..DistanceModel::default()
        };
        assert!(matches!(stretched.distance_km(110_001, 400_001), Err(TooFar(km)) if km > 4000));
        let zero = DistanceModel {
            road_factor: 0.0,
            intra_prefix_km: 0,
            ..DistanceModel::default()
        };
        assert_eq!(zero.distance_km(110_001, 400_001), Ok(1));
        assert_eq!(zero.distance_km(560_001, 560_100), Ok(1));
    }

    #[test]
    fn rounding() {
        assert_eq!(round_half_up(1435.75), 1436);
        assert_eq!(round_half_up(353.15), 353);
        assert_eq!(round_half_up(0.5), 1);
        assert_eq!(round_half_up(f64::NAN), 0);
        assert_eq!(round_half_up(f64::INFINITY), u32::MAX);
    }

    proptest! {
        #[test]
        fn symmetric_and_total(
            from in 100_000u32..=999_999,
            to in 100_000u32..=999_999,
            road_factor in 0.0f64..5.0,
            corridor: bool,
            islands_unrouted: bool,
        ) {
            let model = DistanceModel { road_factor, corridor, islands_unrouted, ..DistanceModel::default() };
            let there = model.distance_km(from, to);
            prop_assert_eq!(there, model.distance_km(to, from));
            if let Ok(km) = there {
                prop_assert!((1..=MAX_KM).contains(&km));
            }
        }
    }
}
