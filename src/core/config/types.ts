/** Price of a model in US dollars per million tokens. */
export interface ModelPrice {
  input: number
  output: number
}

/** How macds reaches an OpenAI-compatible server (the `openai:` section of macds.yaml). */
export interface OpenAiSettings {
  /** Base URL of the API, such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1. */
  base_url: string
  /** Name of the environment variable holding the API key; absent for servers that need none. */
  api_key_env: string | undefined
  /** Retries after a 429, 5xx or dropped connection (so `max_retries + 1` requests at most). */
  max_retries: number
  /** Longest wait macds accepts from a server's Retry-After, in seconds. */
  retry_after_cap_seconds: number
  /** First backoff delay when the server names none, doubled on each retry (capped at 8 s). */
  backoff_ms: number
  /** Answer tokens asked for when the agent names no limit. */
  max_tokens: number
}

/** The provider-related part of macds.yaml, with every default filled in. */
export interface ProviderConfig {
  /** Provider used when the command line names none. */
  provider: 'openai' | 'scripted'
  /** Script of the scripted provider, relative to the repository; `--script` overrides it. */
  script: string | undefined
  openai: OpenAiSettings
  /** Model aliases that agents name, such as `strong` and `fast`, mapped to server model names. */
  models: Record<string, string>
  /** Per-agent model overrides: agent id to an alias or a server model name. */
  agent_models: Record<string, string>
  /** Prices by server model name, for cost reports. */
  prices: Record<string, ModelPrice>
}
