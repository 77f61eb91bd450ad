//! Reads a drawn distribution from CSV text: one `x,y` pair a line. A header line, blank lines
//! and `#` comments are skipped; anything else that is not two numbers is an error naming its line.

use crate::data::toy::MAX_CUSTOM_POINTS;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PointsCsvError {
    #[error("line {line}: expected two numbers 'x,y', found '{text}'")]
    BadLine { line: usize, text: String },
    #[error("the file holds no points")]
    Empty,
    #[error("the file holds more than {MAX_CUSTOM_POINTS} points")]
    TooMany,
}

pub fn parse_points_csv(text: &str) -> Result<Vec<[f32; 2]>, PointsCsvError> {
    let mut points = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split([',', ';', '\t']).map(str::trim).collect();
        let parsed: Option<Vec<f32>> = fields
            .iter()
            .map(|f| f.parse::<f32>().ok().filter(|v| v.is_finite()))
            .collect();
        match parsed {
            Some(v) if v.len() == 2 => points.push([v[0], v[1]]),
            // A first line of two words is a header.
            None if i == 0
                && fields.len() == 2
                && fields.iter().all(|f| f.parse::<f32>().is_err()) => {}
            _ => {
                return Err(PointsCsvError::BadLine {
                    line: i + 1,
                    text: line.chars().take(40).collect(),
                });
            }
        }
        if points.len() > MAX_CUSTOM_POINTS {
            return Err(PointsCsvError::TooMany);
        }
    }
    if points.is_empty() {
        Err(PointsCsvError::Empty)
    } else {
        Ok(points)
    }
}

/// The inverse of [`parse_points_csv`].
pub fn points_to_csv(points: &[[f32; 2]]) -> String {
    let mut out = String::from("x,y\n");
    for p in points {
        out.push_str(&format!("{},{}\n", p[0], p[1]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_points_with_a_header_and_comments() {
        let text = "x,y\n# a comment\n0.5, -1\n\n2;3\n";
        assert_eq!(parse_points_csv(text), Ok(vec![[0.5, -1.0], [2.0, 3.0]]));
    }

    #[test]
    fn round_trips() {
        let pts = vec![[0.25, -0.5], [1.0, 2.0]];
        assert_eq!(parse_points_csv(&points_to_csv(&pts)), Ok(pts));
    }

    #[test]
    fn names_the_broken_line() {
        assert_eq!(
            parse_points_csv("1,2\n3,banana\n"),
            Err(PointsCsvError::BadLine {
                line: 2,
                text: "3,banana".into()
            })
        );
        assert!(matches!(
            parse_points_csv("1,2,3"),
            Err(PointsCsvError::BadLine { line: 1, .. })
        ));
        assert!(matches!(
            parse_points_csv("1,nan"),
            Err(PointsCsvError::BadLine { .. })
        ));
        assert_eq!(parse_points_csv("x,y\n"), Err(PointsCsvError::Empty));
        assert_eq!(
            parse_points_csv("\u{0}\u{1}binary"),
            Err(PointsCsvError::BadLine {
                line: 1,
                text: "\u{0}\u{1}binary".into()
            })
        );
    }
}
