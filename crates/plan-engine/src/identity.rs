//! What names a finding across edits to its file: its rule, its plan, its logical path and its
//! occurrence there. Line numbers play no part, so a finding keeps its name when lines move,
//! and loses it when its place is renamed (`R-3` → `R-4`). SARIF's fingerprints and the
//! baseline both use it.

use crate::discover::{display_path, normalize};
use crate::load::CheckedFile;
use plan_rules::Finding;
use std::path::Path;

/// A finding's name: `PL002|payments-2027|raid[R-3].mitigation`, and its occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub text: String,
    pub occurrence: u32,
}

impl Identity {
    /// The plan is named by its `plan.id`, which moving or converting the file (TOML to JSON)
    /// keeps; a plan without one by its path from the repository root, which does not depend
    /// on the folder plan-lint runs in.
    pub fn of(finding: &Finding, files: &[CheckedFile], srcroot: &Path) -> Identity {
        let file = &files[finding.file];
        let owner = match (&file.plan_id, &file.location) {
            (Some(id), _) => id.clone(),
            (None, Some(location)) => display_path(&normalize(location), srcroot),
            (None, None) => file.path.clone(),
        };
        Identity {
            text: format!("{}|{owner}|{}", finding.rule.code, finding.path),
            occurrence: finding.occurrence,
        }
    }

    /// `{hash}:{occurrence}`: SARIF's `primaryLocationLineHash`, and the baseline's
    /// `fingerprint`.
    pub fn fingerprint(&self) -> String {
        format!("{:016x}:{}", fnv1a(&self.text), self.occurrence)
    }

    /// The identity in full, readable: SARIF's `planLint/v1` fingerprint.
    pub fn full(&self) -> String {
        format!("{}:{}", self.text, self.occurrence)
    }
}

/// 64-bit FNV-1a: small, and the same on every platform and in every version, which is what a
/// fingerprint needs.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a("foobar"), 0x8594_4171_f739_67e8);
    }
}
