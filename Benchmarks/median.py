#!/usr/bin/env python3
"""Prints the median wall seconds of RUNS runs of COMMAND (its output dropped).

Usage: median.py RUNS [--any-status] COMMAND...  (without --any-status a failing run stops the benchmark)"""
import subprocess
import sys
import time

runs = int(sys.argv[1])
command = sys.argv[2:]
check = True
if command and command[0] == "--any-status":
    check, command = False, command[1:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check)
    times.append(time.perf_counter() - start)
times.sort()
print(f"{times[len(times) // 2]:.4f}")
