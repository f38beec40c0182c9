#!/usr/bin/env python3
"""Prints the slowest tests of a run, from the .trx files given (xunit through dotnet test --logger trx)."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration):
    hours, minutes, rest = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def main(count, paths):
    results = []
    for path in paths:
        for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
            if "duration" in result.attrib:
                results.append((seconds(result.attrib["duration"]), result.attrib.get("outcome", "?"), result.attrib["testName"]))
    results.sort(reverse=True)
    print(f"slowest {min(count, len(results))} of {len(results)} tests:")
    for took, outcome, name in results[:count]:
        print(f"  {took:7.1f} s  {outcome:<7} {name}")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
