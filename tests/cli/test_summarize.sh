#!/usr/bin/env bash
# The nps CLI as a user runs it: files, stdin, CSV columns, invalid lines, exit codes.
set -u
nps=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # name, expected, actual
  if [ "$2" == "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); printf 'FAIL %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3"; fi
}
contains() { # name, needle, haystack
  case "$3" in *"$2"*) pass=$((pass + 1)) ;; *) fail=$((fail + 1)); printf 'FAIL %s: %s not in\n%s\n' "$1" "$2" "$3" ;; esac
}

printf '10\n9\n\n8\n7\n6\n0\n' > "$tmp/scores.txt"
out=$("$nps" summarize "$tmp/scores.txt" 2>"$tmp/err"); code=$?
check "file: exit 0" 0 "$code"
check "file: output" '{"n":6,"promoters":2,"passives":2,"detractors":2,"nps":0.0,"ci95":[-51.07,51.07],"method":"adjusted-wald"}' "$out"
contains "file: blank noted" "1 blank answer(s) skipped" "$(cat "$tmp/err")"

out=$(printf '10\n10\n9\n' | "$nps" summarize - 2>/dev/null)
contains "stdin" '"n":3,"promoters":3' "$out"
out=$(printf '10\n10\n9\n' | "$nps" summarize 2>/dev/null)
contains "stdin without -" '"nps":100.0' "$out"

printf '10\n9.5\n11\n-1\nabc\n3\n' > "$tmp/bad.txt"
"$nps" summarize "$tmp/bad.txt" >"$tmp/out" 2>"$tmp/err"; code=$?
check "invalid: exit 1" 1 "$code"
check "invalid: nothing on stdout" "" "$(cat "$tmp/out")"
err=$(cat "$tmp/err")
contains "invalid: 9.5 named" 'line 2: "9.5" is not a whole number from 0 to 10' "$err"
contains "invalid: 11 named" 'line 3: "11" is outside 0 to 10' "$err"
contains "invalid: -1 named" 'line 4: "-1" is outside 0 to 10' "$err"
contains "invalid: abc named" 'line 5: "abc" is not a whole number' "$err"

out=$("$nps" summarize --skip-invalid "$tmp/bad.txt" 2>"$tmp/err"); code=$?
check "skip-invalid: exit 0" 0 "$code"
contains "skip-invalid: counts valid only" '"n":2,"promoters":1,"passives":0,"detractors":1' "$out"
contains "skip-invalid: still reports" 'line 2:' "$(cat "$tmp/err")"

printf 'id;comentario;puntuación\r\n1;"Muy bien; gracias";9\r\n2;;\r\n3;"Lento";4\r\n' > "$tmp/export.csv"
out=$("$nps" summarize "$tmp/export.csv" --column puntuación 2>/dev/null); code=$?
check "csv: exit 0" 0 "$code"
contains "csv: semicolon column" '"n":2,"promoters":1,"passives":0,"detractors":1' "$out"
"$nps" summarize "$tmp/export.csv" --column score >/dev/null 2>"$tmp/err"; code=$?
check "csv: unknown column exit 1" 1 "$code"
contains "csv: unknown column lists columns" '"id", "comentario", "puntuación"' "$(cat "$tmp/err")"

: > "$tmp/empty.txt"
"$nps" summarize "$tmp/empty.txt" >"$tmp/out" 2>"$tmp/err"; code=$?
check "empty: exit 1" 1 "$code"
contains "empty: says so" "no scores" "$(cat "$tmp/err")"
printf '\n\n' | "$nps" summarize - >/dev/null 2>&1; code=$?
check "only blanks: exit 1" 1 "$code"

"$nps" summarize --bogus >/dev/null 2>&1; code=$?
check "usage error: exit 2" 2 "$code"
"$nps" summarize "$tmp/missing.txt" >/dev/null 2>"$tmp/err"; code=$?
check "missing file: exit 1" 1 "$code"
contains "missing file: named" "cannot open" "$(cat "$tmp/err")"

# check-survey: the README's example definition is valid, and problems are named by path.
readme=$(dirname "$0")/../../docs/reference.md # the survey definition moved there from the README
awk '/^## Survey definition/{f=1} f&&/^```json/{g=1;next} g&&/^```/{exit} g{print}' "$readme" > "$tmp/survey.json"
out=$("$nps" check-survey "$tmp/survey.json" 2>"$tmp/err"); code=$?
check "check-survey: README example is valid" 0 "$code"
contains "check-survey: defaults filled in" '"resurvey_after_dismiss_days": 30' "$out"
printf '{"id":"s","followup":{"detractor":{"text":{"es":"%s"}}},"targeting":{"urls":[{"pattern":"/a"},{"pattern":"/b"},{"pattern":""}]}}' "$(printf 'x%.0s' $(seq 501))" > "$tmp/bad-survey.json"
"$nps" check-survey "$tmp/bad-survey.json" >/dev/null 2>"$tmp/err"; code=$?
check "check-survey: invalid exit 1" 1 "$code"
contains "check-survey: long text named" "followup.detractor.text.es: longer than 500 characters" "$(cat "$tmp/err")"
contains "check-survey: empty pattern named" "targeting.urls[2]: empty pattern" "$(cat "$tmp/err")"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
