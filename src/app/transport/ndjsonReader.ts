// Reads an NDJSON response body line by line as it arrives, handing lines over in slices and giving
// the page a turn between slices, so a 200,000-line history never freezes drawing or input.

/** Lines handed over at once; after each slice the reader yields to the event loop. */
export const NDJSON_SLICE_LINES = 2_000;
/** A longer line is not a relay message (a hello with every station is tens of KiB): reading stops. */
export const NDJSON_MAX_LINE_CHARS = 1024 * 1024;

/** `onLines` gets each slice with the 1-based number of its first line. Resolves at the body's end. */
export async function readNdjsonLines(
  body: ReadableStream<Uint8Array>,
  onLines: (lines: string[], firstLine: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  let lineNumber = 1;
  const deliver = async (lines: string[]) => {
    for (let start = 0; start < lines.length; start += NDJSON_SLICE_LINES) {
      if (signal?.aborted) return;
      const slice = lines.slice(start, start + NDJSON_SLICE_LINES);
      onLines(slice, lineNumber);
      lineNumber += slice.length;
      if (lines.length > NDJSON_SLICE_LINES) await yieldToPage();
    }
  };
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      if (done) break;
      const lines = (rest + decoder.decode(value, { stream: true })).split('\n');
      rest = lines.pop()!;
      if (rest.length > NDJSON_MAX_LINE_CHARS) throw new Error(`line ${lineNumber + lines.length} is longer than ${NDJSON_MAX_LINE_CHARS} characters`);
      await deliver(lines);
    }
    rest += decoder.decode();
    if (rest !== '') await deliver([rest]);
  } finally {
    // Stopped early (aborted, a line too long): tell the network we are done with the body.
    void reader.cancel().catch(() => undefined);
  }
}

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
