// Ready-to-paste requests to the job API. Each one runs as pasted: every value is quoted for its language.

export interface SnippetInput {
  /** The full URL of POST /etl-mgr/api/apijob. */
  endpoint: string;
  /** The whole token, or a placeholder for people who may not see it. */
  token: string;
  /** The job's name (or id). */
  job: string;
  /** The params to send; `{}` when left out. */
  params?: Record<string, unknown>;
  /** The key inline (the default, as the documentation shows it) or read from ETL_API_KEY. */
  keyFrom?: KeySource;
}

export type KeySource = 'inline' | 'env';

/** The environment variable the snippets read the key from when asked to. */
export const API_KEY_ENV = 'ETL_API_KEY';

export type SnippetLanguage = 'curl' | 'python' | 'javascript' | 'java' | 'powershell';

export interface Snippet {
  /** Unique: the language, then the client when a language has several. */
  id: string;
  language: SnippetLanguage;
  /** The client, for languages with a choice: "standard library" or the popular library's name. */
  client?: string;
  label: string;
  /** How to run it, shown under the code. */
  hint: string;
  code: string;
}

/** A single-quoted bash word: nothing inside is expanded. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A double-quoted string literal valid in JavaScript, Python and Java (JSON's escapes are a subset of each). */
function quoted(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A PowerShell single-quoted string. */
function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function requestBody(job: string, params: Record<string, unknown> = {}): string {
  return JSON.stringify({ id: job, params });
}

/** A JSON value as a literal in JavaScript (`js`) or Python (`py`): strings in JSON's escapes, read by both. */
function literal(value: unknown, lang: 'js' | 'py'): string {
  if (value === null) return lang === 'py' ? 'None' : 'null';
  if (typeof value === 'boolean') return lang === 'py' ? (value ? 'True' : 'False') : String(value);
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, lang)).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${quoted(k)}: ${literal(v, lang)}`)
      .join(', ')}}`;
  return lang === 'py' ? 'None' : 'null';
}

/** An export line that puts the token into ETL_API_KEY for the shell snippets' clients. */
export function exportLine(token: string): string {
  return `export ${API_KEY_ENV}=${shellQuote(token)}`;
}

function curlSnippets({ endpoint, token, job, params, keyFrom }: SnippetInput): Snippet[] {
  const body = requestBody(job, params);
  const header = keyFrom === 'env' ? `"x-api-key: $${API_KEY_ENV}"` : shellQuote(`x-api-key: ${token}`);
  return [
    {
      id: 'curl',
      language: 'curl',
      label: 'cURL',
      hint: 'Paste into a bash or zsh terminal.',
      code: [
        `curl -sS -X POST ${shellQuote(endpoint)} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H ${header} \\`,
        `  -d ${shellQuote(body)}`,
      ].join('\n'),
    },
  ];
}

function pythonSnippets({ endpoint, token, job, params = {}, keyFrom }: SnippetInput): Snippet[] {
  const env = keyFrom === 'env';
  const apiKey = env ? `api_key = os.environ[${quoted(API_KEY_ENV)}]` : `api_key = ${quoted(token)}`;
  const payload = `{"id": ${quoted(job)}, "params": ${literal(params, 'py')}}`;
  return [
    {
      id: 'python',
      language: 'python',
      client: 'Standard library',
      label: 'Python',
      hint: 'Python 3, standard library only: save as start_job.py and run python3 start_job.py.',
      code: [
        'import json',
        ...(env ? ['import os'] : []),
        'import urllib.error',
        'import urllib.request',
        '',
        `url = ${quoted(endpoint)}`,
        apiKey,
        `body = json.dumps(${payload}).encode("utf-8")`,
        '',
        'request = urllib.request.Request(',
        '    url,',
        '    data=body,',
        '    method="POST",',
        '    headers={"Content-Type": "application/json", "x-api-key": api_key},',
        ')',
        'try:',
        '    with urllib.request.urlopen(request) as response:',
        '        print(response.status, response.read().decode("utf-8"))',
        'except urllib.error.HTTPError as error:',
        '    print(error.code, error.read().decode("utf-8"))',
        '    raise SystemExit(1)',
      ].join('\n'),
    },
    {
      id: 'python-requests',
      language: 'python',
      client: 'requests',
      label: 'Python (requests)',
      hint: 'Python 3 with requests (pip install requests, or Debian’s python3-requests): save as start_job.py and run python3 start_job.py.',
      code: [
        ...(env ? ['import os', ''] : []),
        'import requests',
        '',
        `url = ${quoted(endpoint)}`,
        apiKey,
        '',
        'response = requests.post(',
        '    url,',
        `    json=${payload},`,
        '    headers={"x-api-key": api_key},',
        '    timeout=30,',
        ')',
        'print(response.status_code, response.text)',
        'if not response.ok:',
        '    raise SystemExit(1)',
      ].join('\n'),
    },
  ];
}

function javascriptSnippets({ endpoint, token, job, params = {}, keyFrom }: SnippetInput): Snippet[] {
  const apiKey = keyFrom === 'env' ? `process.env.${API_KEY_ENV}` : quoted(token);
  const payload = `{ id: ${quoted(job)}, params: ${literal(params, 'js')} }`;
  return [
    {
      id: 'javascript',
      language: 'javascript',
      client: 'fetch',
      label: 'JavaScript',
      hint: 'Node 18 or later: save as start-job.mjs and run node start-job.mjs.',
      code: [
        `const response = await fetch(${quoted(endpoint)}, {`,
        `  method: 'POST',`,
        `  headers: {`,
        `    'Content-Type': 'application/json',`,
        `    'x-api-key': ${apiKey},`,
        `  },`,
        `  body: JSON.stringify(${payload}),`,
        `});`,
        `console.log(response.status, await response.text());`,
        `if (!response.ok) process.exitCode = 1;`,
      ].join('\n'),
    },
    {
      id: 'javascript-axios',
      language: 'javascript',
      client: 'axios',
      label: 'JavaScript (axios)',
      hint: 'Node 18 or later with axios (npm install axios): save as start-job.mjs and run node start-job.mjs.',
      code: [
        `import axios from 'axios';`,
        '',
        'try {',
        `  const response = await axios.post(${quoted(endpoint)}, ${payload}, {`,
        `    headers: { 'x-api-key': ${apiKey} },`,
        '  });',
        '  console.log(response.status, JSON.stringify(response.data));',
        '} catch (error) {',
        '  if (!error.response) throw error;',
        '  console.log(error.response.status, JSON.stringify(error.response.data));',
        '  process.exitCode = 1;',
        '}',
      ].join('\n'),
    },
  ];
}

function javaSnippets({ endpoint, token, job, params, keyFrom }: SnippetInput): Snippet[] {
  const body = requestBody(job, params);
  const apiKey = keyFrom === 'env' ? `System.getenv(${quoted(API_KEY_ENV)})` : quoted(token);
  return [
    {
      id: 'java',
      language: 'java',
      client: 'HttpClient',
      label: 'Java',
      hint: 'Java 11 or later: save as StartJob.java and run java StartJob.java.',
      code: [
        'import java.net.URI;',
        'import java.net.http.HttpClient;',
        'import java.net.http.HttpRequest;',
        'import java.net.http.HttpResponse;',
        '',
        'public class StartJob {',
        '    public static void main(String[] args) throws Exception {',
        `        String body = ${quoted(body)};`,
        `        HttpRequest request = HttpRequest.newBuilder(URI.create(${quoted(endpoint)}))`,
        '            .header("Content-Type", "application/json")',
        `            .header("x-api-key", ${apiKey})`,
        '            .POST(HttpRequest.BodyPublishers.ofString(body))',
        '            .build();',
        '        // HTTP/1.1: the default HTTP/2 upgrade (h2c) is refused by many servers over plain http.',
        '        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();',
        '        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());',
        '        System.out.println(response.statusCode() + " " + response.body());',
        '        if (response.statusCode() >= 300) System.exit(1);',
        '    }',
        '}',
      ].join('\n'),
    },
    {
      id: 'java-okhttp',
      language: 'java',
      client: 'OkHttp',
      label: 'Java (OkHttp)',
      hint: 'Java 11 or later with OkHttp 3 or 4 (com.squareup.okhttp3:okhttp): save as StartJob.java and run java -cp okhttp.jar:okio.jar StartJob.java.',
      code: [
        'import okhttp3.MediaType;',
        'import okhttp3.OkHttpClient;',
        'import okhttp3.Request;',
        'import okhttp3.RequestBody;',
        'import okhttp3.Response;',
        '',
        'public class StartJob {',
        '    public static void main(String[] args) throws Exception {',
        `        String body = ${quoted(body)};`,
        '        Request request = new Request.Builder()',
        `            .url(${quoted(endpoint)})`,
        `            .header("x-api-key", ${apiKey})`,
        '            .post(RequestBody.create(MediaType.parse("application/json"), body))',
        '            .build();',
        '        try (Response response = new OkHttpClient().newCall(request).execute()) {',
        '            System.out.println(response.code() + " " + response.body().string());',
        '            if (!response.isSuccessful()) System.exit(1);',
        '        }',
        '    }',
        '}',
      ].join('\n'),
    },
  ];
}

function powershellSnippets({ endpoint, token, job, params, keyFrom }: SnippetInput): Snippet[] {
  const body = requestBody(job, params);
  const apiKey = keyFrom === 'env' ? `$env:${API_KEY_ENV}` : psQuote(token);
  return [
    {
      id: 'powershell',
      language: 'powershell',
      label: 'PowerShell',
      hint:
        keyFrom === 'env'
          ? `PowerShell 7 or Windows PowerShell 5.1; set the key first: $env:${API_KEY_ENV} = '<token>'.`
          : 'PowerShell 7 or Windows PowerShell 5.1.',
      code: [
        `$headers = @{ 'x-api-key' = ${apiKey} }`,
        `$body = ${psQuote(body)}`,
        `Invoke-RestMethod -Method Post -Uri ${psQuote(endpoint)} -Headers $headers -ContentType 'application/json' -Body $body`,
      ].join('\n'),
    },
  ];
}

/** Every snippet, in the order the tabs show them. */
export function buildSnippets(input: SnippetInput): Snippet[] {
  return [
    ...curlSnippets(input),
    ...pythonSnippets(input),
    ...javascriptSnippets(input),
    ...javaSnippets(input),
    ...powershellSnippets(input),
  ];
}

/** The job the snippets start first: the one this key last started, else hello-world, else the first. */
export function defaultSnippetJob(jobs: { id: string; name: string }[], lastJobId: string | null): string {
  const last = lastJobId ? jobs.find((j) => j.id === lastJobId) : undefined;
  return (last ?? jobs.find((j) => j.name === 'hello-world') ?? jobs[0])?.name ?? 'my-job';
}
