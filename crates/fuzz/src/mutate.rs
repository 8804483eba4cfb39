//! Deterministic mutations and the bounded run the test suite makes of each target: the same
//! seed gives the same inputs on every machine (cpts-gen's `Rng`), so a failure replays.

use crate::{Dict, Target};
use cpts_gen::Rng;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Makes mutants of seed inputs: one to four edits each, drawn from byte flips, interesting
/// bytes, deletions, duplications, token insertions and replacements, splices of two seeds,
/// and joins (`\0` separates files for the `check` target).
pub struct Mutator {
    rng: Rng,
    tokens: Vec<Vec<u8>>,
}

const INTERESTING: &[u8] = b"\0\xff\x80\"\\{}()[]<>=.\n\r\t #/*-0";

impl Mutator {
    /// A mutator drawing from `seed`, inserting the tokens of `dict`.
    pub fn new(seed: u64, dict: Dict) -> Mutator {
        Mutator {
            rng: Rng(seed),
            tokens: dict.tokens(),
        }
    }

    /// A mutant of one of `seeds` (not empty).
    pub fn mutant(&mut self, seeds: &[Vec<u8>]) -> Vec<u8> {
        let mut input = seeds[self.rng.below(seeds.len())].clone();
        for _ in 0..=self.rng.below(4) {
            self.edit(&mut input, seeds);
        }
        input
    }

    fn edit(&mut self, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
        let at = self.rng.below(input.len() + 1);
        let len = (1 + self.rng.below(16)).min(input.len() - at);
        match self.rng.below(10) {
            0 if at < input.len() => input[at] ^= 1 << self.rng.below(8),
            1 if at < input.len() => input[at] = INTERESTING[self.rng.below(INTERESTING.len())],
            2 => drop(input.drain(at..at + len)),
            3 => {
                let copy = input[at..at + len].to_vec();
                let to = self.rng.below(input.len() + 1);
                input.splice(to..to, copy);
            }
            4..=6 => {
                let token = self.tokens[self.rng.below(self.tokens.len())].clone();
                let end = if self.rng.below(3) == 0 { at + len } else { at };
                input.splice(at..end, token);
            }
            7 => {
                let other = &seeds[self.rng.below(seeds.len())];
                let from = self.rng.below(other.len() + 1);
                input.truncate(at);
                input.extend_from_slice(&other[from..]);
            }
            8 => {
                input.push(0);
                input.extend_from_slice(&seeds[self.rng.below(seeds.len())]);
            }
            _ => input.truncate(at),
        }
    }
}

/// `count` mutants of `seeds` drawn from `seed`.
pub fn mutate(seeds: &[Vec<u8>], dict: Dict, seed: u64, count: usize) -> Vec<Vec<u8>> {
    let mut mutator = Mutator::new(seed, dict);
    (0..count).map(|_| mutator.mutant(seeds)).collect()
}

impl Target {
    /// The seed inputs: the files of `fuzz/seeds/NAME/` (crashes found before, kept as
    /// regressions) and of the folders [`Target::seeds`] names, in a fixed order.
    pub fn seed_inputs(&self) -> Vec<Vec<u8>> {
        let root = crate::root();
        let mut paths = Vec::new();
        files(&root.join("fuzz/seeds").join(self.name), &mut paths);
        for dir in self.seeds {
            files(&root.join(dir), &mut paths);
        }
        paths.sort();
        paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
    }

    /// Runs the body on every seed and on `mutants` mutants of them drawn from `seed`. Returns
    /// the number of inputs run, or the first input that panicked.
    pub fn bounded_run(&self, mutants: usize, seed: u64) -> Result<usize, Vec<u8>> {
        let seeds = self.seed_inputs();
        let mut mutator = Mutator::new(seed, self.dict);
        let mut count = 0;
        for input in seeds
            .iter()
            .cloned()
            .chain((0..mutants).map(|_| mutator.mutant(&seeds)))
        {
            if catch_unwind(AssertUnwindSafe(|| (self.run)(&input))).is_err() {
                return Err(input);
            }
            count += 1;
        }
        Ok(count)
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutants_are_deterministic_and_differ_from_their_seeds() {
        let seeds = vec![b"workflow w \"W\" { }".to_vec(), b"[project]".to_vec()];
        let a = mutate(&seeds, Dict::RULES, 7, 200);
        assert_eq!(a, mutate(&seeds, Dict::RULES, 7, 200));
        assert!(a.iter().filter(|m| !seeds.contains(m)).count() > 150);
    }

    #[test]
    fn empty_seeds_are_mutated_too() {
        let seeds = vec![Vec::new()];
        assert_eq!(mutate(&seeds, Dict::PROJECT, 1, 100).len(), 100);
    }
}
