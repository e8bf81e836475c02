package dev.keyfailover.chain;

/** Answers in each provider's real shape, with their usage (behaviour.md §16), for the usage tests. */
public final class UsageShapes {

    private UsageShapes() {
    }

    /** OpenAI, pretty-printed as the API sends it: 19 in (4 cached), 10 out; the text mentions a usage. */
    public static final String OPENAI_JSON = """
            {
              "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
              "object": "chat.completion",
              "created": 1741570283,
              "model": "gpt-4o-2024-08-06",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "Write \\"usage\\": {\\"prompt_tokens\\": 999} in JSON.",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 19,
                "completion_tokens": 10,
                "total_tokens": 29,
                "prompt_tokens_details": {
                  "cached_tokens": 4,
                  "audio_tokens": 0
                },
                "completion_tokens_details": {
                  "reasoning_tokens": 0,
                  "audio_tokens": 0,
                  "accepted_prediction_tokens": 0,
                  "rejected_prediction_tokens": 0
                }
              },
              "service_tier": "default",
              "system_fingerprint": "fp_fc9f1d7035"
            }
            """;

    private static final String CHUNK = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1741570283,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_06737a9306\",";

    /** The events of an OpenAI chat stream before its usage chunk. */
    public static final String[] OPENAI_EVENTS = {
        CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
        CHUNK + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null}\n\n",
        CHUNK + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":null}\n\n",
    };

    /** OpenAI's usage chunk (stream_options.include_usage): 9 in (0 cached), 2 out. */
    public static final String OPENAI_USAGE_CHUNK = CHUNK + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":2,\"total_tokens\":11,\"prompt_tokens_details\":{\"cached_tokens\":0,"
            + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n";

    public static final String OPENAI_DONE = "data: [DONE]\n\n";

    /** Anthropic: 12 + 3 written to the cache + 5 read from it in, 6 out. */
    public static final String ANTHROPIC_JSON = "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"Hello!\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{"
            + "\"input_tokens\":12,\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":5,"
            + "\"output_tokens\":6,\"service_tier\":\"standard\"}}";

    /** Anthropic's stream: 25 in from message_start, 15 out from message_delta. */
    public static final String[] ANTHROPIC_EVENTS = {
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-20250514\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: ping\ndata: {\"type\": \"ping\"}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    };

    /** Gemini: 8 in, 12 + 25 thinking out. */
    public static final String GEMINI_JSON = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {
                        "text": "Hello there"
                      }
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {
                "promptTokenCount": 8,
                "candidatesTokenCount": 12,
                "totalTokenCount": 45,
                "promptTokensDetails": [
                  {
                    "modality": "TEXT",
                    "tokenCount": 8
                  }
                ],
                "thoughtsTokenCount": 25
              },
              "modelVersion": "gemini-2.5-flash",
              "responseId": "8Y3OaM2bBZm0nvgPqbaU8Q0"
            }
            """;

    /** Gemini's stream ({@code alt=sse}, events end in CRLF CRLF): running totals, 8 in and 20 out at the end. */
    public static final String[] GEMINI_EVENTS = {
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello\"}],\"role\": \"model\"},\"index\": 0}],"
                + "\"usageMetadata\": {\"promptTokenCount\": 8,\"totalTokenCount\": 8,\"promptTokensDetails\": "
                + "[{\"modality\": \"TEXT\",\"tokenCount\": 8}]},\"modelVersion\": \"gemini-2.5-flash\","
                + "\"responseId\": \"abc\"}\r\n\r\n",
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" world\"}],\"role\": \"model\"},"
                + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,"
                + "\"candidatesTokenCount\": 20,\"totalTokenCount\": 28,\"promptTokensDetails\": [{\"modality\": "
                + "\"TEXT\",\"tokenCount\": 8}]},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"abc\"}\r\n\r\n",
    };

    public static String joined(String... parts) {
        return String.join("", parts);
    }
}
