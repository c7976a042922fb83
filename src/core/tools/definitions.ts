/** A JSON Schema property of a tool's parameters, as far as the read tools need. */
export interface ParameterSchema {
  type: 'string' | 'integer' | ['string', 'null'] | ['integer', 'null']
  description: string
}

/**
 * A tool in OpenAI's function-calling shape, ready to send as it is. Every definition is strict:
 * parameters forbid other properties and list every property as required, and an optional argument is
 * a nullable type (the model sends null to leave it out). Strict mode makes the model's arguments
 * follow the schema exactly; non-strict servers accept the same schema. `runTool` also accepts an
 * optional argument that is left out.
 */
export interface ToolDefinition {
  type: 'function'
  function: {
    name: string
    description: string
    strict: true
    parameters: {
      type: 'object'
      properties: Record<string, ParameterSchema>
      required: string[]
      additionalProperties: false
    }
  }
}

function tool(
  name: string,
  description: string,
  properties: Record<string, ParameterSchema>,
): ToolDefinition {
  return {
    type: 'function',
    function: {
      name,
      description,
      strict: true,
      parameters: {
        type: 'object',
        properties,
        required: Object.keys(properties),
        additionalProperties: false,
      },
    },
  }
}

const PATHS =
  'Paths are relative to the repository root and use forward slashes. Secret files (.env, keys, credentials), .git and .macds cannot be read.'

/** The read-only tools an agent may call: list_files, read_file and search. */
export const READ_TOOLS: readonly ToolDefinition[] = [
  tool(
    'list_files',
    `List the repository's files (tracked, and untracked ones that git does not ignore) whose path matches a glob, sorted; at most 500 are returned and the rest are counted. ${PATHS}`,
    {
      glob: {
        type: 'string',
        description:
          'A glob such as "src/**/*.ts", "**/package.json" or "*.md" ("*" stays within a directory, "**" crosses directories, "{a,b}" is either). A plain directory name such as "src" lists everything under it; "**" lists everything.',
      },
    },
  ),
  tool(
    'read_file',
    `Read a text file's lines, each prefixed with its line number ("12: text"). At most 400 lines or 32 KiB are returned at once; a cut answer says which from_line continues it. Binary files are refused. ${PATHS}`,
    {
      path: { type: 'string', description: 'The file, such as "src/index.ts".' },
      from_line: {
        type: ['integer', 'null'],
        description: 'First line to return, 1-based; null starts at line 1.',
      },
      to_line: {
        type: ['integer', 'null'],
        description: 'Last line to return, inclusive; null reads to the end (within the limits).',
      },
    },
  ),
  tool(
    'search',
    `Search the text files of the repository (tracked, and untracked ones that git does not ignore) for lines matching a pattern, with git grep. Answers "path:line: text" lines, sorted by path; at most 200 are returned and the rest are counted. ${PATHS}`,
    {
      pattern: {
        type: 'string',
        description:
          'A POSIX extended regular expression matched within single lines, case-sensitive, such as "function (load|save)Config" (use [0-9] rather than \\d; escape . ( ) [ ] { } * + ? | ^ $ to match them literally). A pattern that is not a valid expression is searched as plain text.',
      },
      glob: {
        type: ['string', 'null'],
        description: 'Only search files matching this glob, such as "src/**/*.ts"; null searches every file.',
      },
    },
  ),
]
