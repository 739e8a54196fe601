//! The scenario files against the case catalogue: every report row a step counts toward
//! is a catalogue case of the same API and kind, and a failure step expects one of that
//! case's codes. Keeps the suite, the journal classifier and the report on one vocabulary.

use std::path::Path;

use irp_conformance::{catalogue, report::Kind, scenario};

#[test]
fn every_report_row_of_the_suites_is_a_catalogue_case_with_its_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut rows = 0;
    for dir in ["onboarding", "emulator"] {
        for loaded in scenario::load_dir(&root.join(dir)).unwrap() {
            for step in &loaded.scenario.steps {
                let Some(row) = &step.report else { continue };
                rows += 1;
                let at = format!("{} / {} ({})", loaded.scenario.name, step.name, row.case);
                let case = catalogue::find(&row.case)
                    .unwrap_or_else(|| panic!("{at}: not in the catalogue"));
                assert!(
                    case.any_api || Some(case.api) == step.call.api(),
                    "{at}: the catalogue puts it under {:?}",
                    case.api
                );
                assert_eq!(case.kind, step.expect.kind(), "{at}");
                if case.kind == Kind::Failure {
                    assert!(
                        step.expect
                            .error_codes
                            .iter()
                            .any(|c| case.codes.contains(&c.as_str())),
                        "{at}: expects {:?}, the catalogue lists {:?}",
                        step.expect.error_codes,
                        case.codes
                    );
                }
            }
        }
    }
    assert!(rows > 100, "{rows} report rows");
}
