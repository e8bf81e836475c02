package dev.keyfailover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import dev.keyfailover.chain.Usage;
import dev.keyfailover.chain.UsageReader;
import dev.keyfailover.chain.UsageShapes;
import org.junit.jupiter.api.Test;

/** behaviour.md §16: the usage of a compressed answer, read from its bytes however they arrive. */
class InflatingReaderTest {

    private static final String STREAM = UsageShapes.joined(UsageShapes.joined(UsageShapes.OPENAI_EVENTS),
            UsageShapes.OPENAI_USAGE_CHUNK, UsageShapes.OPENAI_DONE);
    private static final Usage STREAM_USAGE = new Usage(9, 2, 0);

    private static Usage read(String encoding, byte[] body, int step) {
        InflatingReader reader = InflatingReader.of(encoding, UsageReader.forAnswer("text/event-stream", -1));
        byte[] buffer = new byte[step];
        for (int at = 0; at < body.length; at += step) {
            int n = Math.min(step, body.length - at);
            System.arraycopy(body, at, buffer, 0, n);
            reader.read(buffer, 0, n);
            // The caller reuses its buffer: what was given must not be read again later.
            java.util.Arrays.fill(buffer, (byte) 0);
        }
        return reader.usage();
    }

    /** A gzip member with a file name and a header CRC, as some servers write it. */
    private static byte[] gzipWithNameAndHeaderCrc(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 8, 0, 0, 0, 0, 0, (byte) 255});
        out.write("answer.txt\0".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {0x12, 0x34});
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (DeflaterOutputStream raw = new DeflaterOutputStream(out, deflater)) {
            raw.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void aGzipStreamArrivingByteByByteIsReadWhole() throws Exception {
        byte[] body = gzip(STREAM);
        assertThat(read("gzip", body, 1)).isEqualTo(STREAM_USAGE);
        assertThat(read("GZIP", body, 7)).isEqualTo(STREAM_USAGE);
        assertThat(read("x-gzip", body, body.length)).isEqualTo(STREAM_USAGE);
    }

    @Test
    void aGzipHeaderWithOptionalFieldsIsSkipped() throws Exception {
        assertThat(read("gzip", gzipWithNameAndHeaderCrc(STREAM), 3)).isEqualTo(STREAM_USAGE);
    }

    @Test
    void deflateIsRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(out)) {
            zlib.write(STREAM.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(read("deflate", out.toByteArray(), 5)).isEqualTo(STREAM_USAGE);
    }

    @Test
    void bytesThatDoNotInflateCountNothingAndThrowNothing() {
        byte[] plain = STREAM.getBytes(StandardCharsets.UTF_8);
        assertThat(read("gzip", plain, 100)).isEqualTo(Usage.NONE);
        assertThat(read("deflate", plain, 100)).isEqualTo(Usage.NONE);
    }

    @Test
    void codingsItCannotInflateAreNotRead() {
        assertThat(InflatingReader.of("br", UsageReader.forAnswer("application/json", -1))).isNull();
        assertThat(InflatingReader.of("zstd", UsageReader.forAnswer("application/json", -1))).isNull();
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
