package dev.keyfailover.bench;

/** A scenario's part of the report: its heading, what it measured and how, and its tables. */
interface Section {

    void writeTo(StringBuilder markdown);
}
