//! GEOLOCATION and DISTANCE, as the engine computes them: the two points on the unit sphere in
//! x-y-z, the chord between them, and the arc `diameter * asin(chord / 2)`, in doubles; the
//! result is that double read as a decimal from its shortest digits (Java's
//! `BigDecimal.valueOf(double)`), so `DISTANCE` prints `8066.8974274546545`.

use std::str::FromStr;

use bigdecimal::BigDecimal;

use super::json::java_double;
use crate::Value;
use crate::runtime::Fault;
use samlfx_diag::Code;

/// The engine's mean Earth radius per unit.
const UNITS: &[(&str, f64)] = &[("mi", 3958.761), ("km", 6371.009)];

/// A number as a double, the way Java's `BigDecimal.doubleValue()` rounds it.
fn double(n: &BigDecimal) -> f64 {
    n.to_string().parse().unwrap_or(f64::NAN)
}

/// GEOLOCATION(latitude, longitude): both null gives null; one null alone, or a coordinate out
/// of range, is a fault (range first, as the engine checks).
pub fn geolocation(lat: Option<&BigDecimal>, lon: Option<&BigDecimal>) -> Result<Value, Fault> {
    let (la, lo) = (lat.map(double), lon.map(double));
    if let Some(la) = la
        && !(-90.0..=90.0).contains(&la)
    {
        return Err(Fault::new(
            Code::OutOfRange,
            format!("Latitude out of range: {}", java_double(la)),
        )
        .with_arg(0)
        .with_help("a latitude lies between -90 and 90"));
    }
    if let Some(lo) = lo
        && !(-180.0..=180.0).contains(&lo)
    {
        return Err(Fault::new(
            Code::OutOfRange,
            format!("Longitude is out of range: {}", java_double(lo)),
        )
        .with_arg(1)
        .with_help("a longitude lies between -180 and 180"));
    }
    match (la, lo) {
        (None, None) => Ok(Value::Null),
        (Some(lat), Some(lon)) => Ok(Value::Location { lat, lon }),
        (None, Some(_)) => Err(Fault::new(
            Code::EvaluationError,
            "Latitude can be null if and only if longitude is null",
        )
        .with_arg(0)),
        (Some(_), None) => Err(Fault::new(
            Code::EvaluationError,
            "Longitude can be null if and only if latitude is null",
        )
        .with_arg(1)),
    }
}

fn xyz(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    let r = la.cos();
    [lo.sin() * r, lo.cos() * r, la.sin()]
}

/// DISTANCE(location1, location2, unit): the unit is checked first and exactly (`mi`, `km`);
/// a null location gives null.
pub fn distance(a: &Value, b: &Value, unit: Option<&str>) -> Result<Value, Fault> {
    let Some(&(_, radius)) = UNITS.iter().find(|(u, _)| Some(*u) == unit) else {
        return Err(Fault::new(
            Code::InvalidValue,
            format!(
                "Invalid unit for the distance() function: {}",
                unit.unwrap_or("null")
            ),
        )
        .with_arg(2)
        .with_help("the unit is 'mi' or 'km', in lower case"));
    };
    let (Value::Location { lat: a1, lon: o1 }, Value::Location { lat: a2, lon: o2 }) = (a, b)
    else {
        return Ok(Value::Null);
    };
    let (p, q) = (xyz(*a1, *o1), xyz(*a2, *o2));
    let chord = (p[0] - q[0]).hypot(p[1] - q[1]).hypot(p[2] - q[2]);
    let d = 2.0 * radius * (chord / 2.0).asin();
    Ok(BigDecimal::from_str(&java_double(d)).map_or(Value::Null, Value::Number))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> BigDecimal {
        BigDecimal::from_str(s).unwrap()
    }

    #[test]
    fn distance_matches_the_engine() {
        let a = geolocation(Some(&n("37.7899")), Some(&n("-122.3969"))).unwrap();
        let b = geolocation(Some(&n("33.37088")), Some(&n("-122.61715"))).unwrap();
        let d = distance(&a, &b, Some("mi")).unwrap();
        assert_eq!(d, Value::Number(n("305.57560898133903")));
        assert_eq!(distance(&Value::Null, &b, Some("km")).unwrap(), Value::Null);
        assert_eq!(
            distance(&a, &b, Some("MI")).unwrap_err().code,
            Code::InvalidValue
        );
        assert_eq!(geolocation(None, None).unwrap(), Value::Null);
        assert_eq!(
            geolocation(Some(&n("200")), None).unwrap_err().code,
            Code::OutOfRange
        );
        assert_eq!(
            geolocation(Some(&n("0")), None).unwrap_err().code,
            Code::EvaluationError
        );
    }
}
