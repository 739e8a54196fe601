//! Progress: a bar on a terminal, one plain line per scenario otherwise (CI logs).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::{
    report::{Outcome, Verdict},
    run::Progress,
};

/// Progress on standard error.
#[derive(Debug)]
pub enum Console {
    /// A bar (terminal).
    Bar(ProgressBar),
    /// Plain lines.
    Lines,
}

impl Console {
    /// A bar when standard error is a terminal, plain lines otherwise.
    pub fn for_stderr() -> Self {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            let style = ProgressStyle::with_template(
                "{bar:40.cyan/blue} {pos}/{len} steps  {elapsed_precise}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            Console::Bar(bar)
        } else {
            Console::Lines
        }
    }

    fn line(&self, text: &str) {
        match self {
            Console::Bar(bar) => bar.println(text),
            Console::Lines => eprintln!("{text}"),
        }
    }
}

impl Progress for Console {
    fn start(&self, steps: u64) {
        match self {
            Console::Bar(bar) => bar.set_length(steps),
            Console::Lines => eprintln!("running {steps} steps"),
        }
    }

    fn step(&self, outcome: &Outcome) {
        if let Console::Bar(bar) = self {
            bar.inc(1);
            bar.set_message(outcome.scenario.clone());
        }
    }

    fn scenario(&self, name: &str, outcomes: &[Outcome]) {
        let count = |v: Verdict| outcomes.iter().filter(|o| o.verdict == v).count();
        let (passed, failed, skipped) = (
            count(Verdict::Passed),
            count(Verdict::Failed),
            count(Verdict::Skipped),
        );
        let word = if failed > 0 {
            "FAIL"
        } else if passed == 0 {
            "SKIP"
        } else {
            "ok  "
        };
        self.line(&format!(
            "{word} {name}: {passed} passed, {failed} failed, {skipped} skipped"
        ));
        for outcome in outcomes.iter().filter(|o| o.verdict == Verdict::Failed) {
            self.line(&format!(
                "     {}: {}",
                outcome.step,
                outcome.reasons.join("; ")
            ));
        }
    }

    fn finish(&self) {
        if let Console::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
