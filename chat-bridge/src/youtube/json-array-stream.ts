/**
 * The elements of a JSON array that arrives in pieces. This is how Google's HTTP/JSON transcoding sends a
 * server-streaming method such as liveChatMessages.streamList: one response whose body is `[`, then each message
 * of the stream as an array element the moment the server has it, then `]` when the server ends the call (the same
 * framing Google's REST clients read: gax-nodejs StreamArrayParser, python-api-core rest_streaming). Waiting for
 * the whole body would wait out the stream, so each element is parsed as soon as its closing brace arrives.
 */

export class StreamFormatError extends Error {
  /** False when the body never was a JSON array (something else answered), true when a started array broke off. */
  readonly started: boolean;
  constructor(message: string, started: boolean) {
    super(message);
    this.name = 'StreamFormatError';
    this.started = started;
  }
}

/** A runaway element (no closing brace in sight) must not eat the bridge's memory. */
const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;

export async function* jsonArrayElements(chunks: AsyncIterable<Uint8Array>, maxElementChars = MAX_ELEMENT_CHARS): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let started = false;
  let ended = false;
  // Inside an element: its nesting depth, whether we are in a string and just after a backslash in one.
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';

  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (depth > 0) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if ((c === '}' || c === ']') && --depth === 0) {
          element += text.slice(from, i + 1);
          yield parse(element);
          element = '';
        }
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (!started) {
        if (c !== '[') throw new StreamFormatError(`expected a JSON array, got ${JSON.stringify(text.slice(i, i + 20))}`, false);
        started = true;
      } else if (ended) throw new StreamFormatError('data after the end of the array', true);
      else if (c === ']') ended = true;
      else if (c === '{') {
        depth = 1;
        from = i;
      } else if (c !== ',') throw new StreamFormatError(`unexpected ${JSON.stringify(c)} between array elements`, true);
    }
    if (depth > 0) {
      element += text.slice(from);
      if (element.length > maxElementChars) throw new StreamFormatError(`an element longer than ${maxElementChars} characters`, true);
    }
  }
  if (!ended) throw new StreamFormatError(started ? 'the stream broke off inside the array' : 'the stream was empty', started);
}

function parse(element: string): unknown {
  try {
    return JSON.parse(element);
  } catch (e) {
    throw new StreamFormatError(`an element is not valid JSON (${(e as Error).message})`, true);
  }
}
