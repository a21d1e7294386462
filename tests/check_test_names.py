#!/usr/bin/env python3
"""No Catch2 test name holds a semicolon: catch_discover_tests would split it into two ctest
names. A name may run over several string literals ("…" "…"), so they are joined first.
Usage: check_test_names.py TESTS_DIR"""
import glob
import os
import re
import sys

bad = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], '**', '*.cpp'), recursive=True)):
    text = open(path, encoding='utf-8').read()
    for m in re.finditer(r'TEST_CASE\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', text):
        name = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
        if ';' in name:
            bad.append('%s:%d: %s' % (path, text.count('\n', 0, m.start()) + 1, name))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
