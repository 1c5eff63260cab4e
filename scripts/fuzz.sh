#!/usr/bin/env bash
# A longer fuzz run of the untrusted-input parsers (not part of the default test run): the
# property tests in tests/parsers_never_panic.rs (random input plus mutations of the corpus in
# tests/fuzz_corpus/) with many more cases. A failure prints the minimal input; add it to the
# corpus directory it belongs to (callback/, jws/, config/, json/) so it is replayed by every test run.
#   ./scripts/fuzz.sh            # 200000 cases per property (a few minutes)
#   FUZZ_CASES=1000000 ./scripts/fuzz.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
PROPTEST_CASES="${FUZZ_CASES:-200000}" cargo test --release --test parsers_never_panic
