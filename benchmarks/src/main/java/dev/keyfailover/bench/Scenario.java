package dev.keyfailover.bench;

/**
 * A scenario that starts the JVMs it needs itself (through {@link Lab#open}) and stops them when done. A new
 * scenario implements this and is added to the list in {@link Bench#scenarios()}.
 */
interface Scenario {

    /** Its number on the command line ({@code --scenarios=4,5}) and in the report. */
    int number();

    /** Measures; the results it returns write its section of the report. */
    Section measure(Lab lab) throws Exception;
}
