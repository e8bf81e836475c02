package dev.keyfailover.bench;

import java.util.List;

/** A section whose headline is also drawn ({@link Chart}): the report embeds the charts right after its text. */
interface Charted {

    List<Chart> charts();
}
