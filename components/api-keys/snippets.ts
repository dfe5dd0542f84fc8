// Ready-to-paste requests to the job API. Each one runs as pasted: every value is quoted for its language.

export interface SnippetInput {
  /** The full URL of POST /etl-mgr/api/apijob. */
  endpoint: string;
  /** The whole token, or a placeholder for people who may not see it. */
  token: string;
  /** The job's name (or id). */
  job: string;
}

export interface Snippet {
  id: 'curl' | 'python' | 'javascript' | 'java' | 'powershell';
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
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A PowerShell single-quoted string. */
function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function requestBody(job: string): string {
  return JSON.stringify({ id: job, params: {} });
}

export function buildSnippets({ endpoint, token, job }: SnippetInput): Snippet[] {
  const body = requestBody(job);
  return [
    {
      id: 'curl',
      label: 'cURL',
      hint: 'Paste into a bash or zsh terminal.',
      code: [
        `curl -sS -X POST ${shellQuote(endpoint)} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H ${shellQuote(`x-api-key: ${token}`)} \\`,
        `  -d ${shellQuote(body)}`,
      ].join('\n'),
    },
    {
      id: 'python',
      label: 'Python',
      hint: 'Python 3, standard library only: save as start_job.py and run python3 start_job.py.',
      code: [
        'import json',
        'import urllib.error',
        'import urllib.request',
        '',
        `url = ${quoted(endpoint)}`,
        `api_key = ${quoted(token)}`,
        `body = json.dumps({"id": ${quoted(job)}, "params": {}}).encode("utf-8")`,
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
      id: 'javascript',
      label: 'JavaScript',
      hint: 'Node 18 or later: save as start-job.mjs and run node start-job.mjs.',
      code: [
        `const response = await fetch(${quoted(endpoint)}, {`,
        `  method: 'POST',`,
        `  headers: {`,
        `    'Content-Type': 'application/json',`,
        `    'x-api-key': ${quoted(token)},`,
        `  },`,
        `  body: JSON.stringify({ id: ${quoted(job)}, params: {} }),`,
        `});`,
        `console.log(response.status, await response.text());`,
        `if (!response.ok) process.exitCode = 1;`,
      ].join('\n'),
    },
    {
      id: 'java',
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
        `            .header("x-api-key", ${quoted(token)})`,
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
      id: 'powershell',
      label: 'PowerShell',
      hint: 'PowerShell 7 or Windows PowerShell 5.1.',
      code: [
        `$headers = @{ 'x-api-key' = ${psQuote(token)} }`,
        `$body = ${psQuote(body)}`,
        `Invoke-RestMethod -Method Post -Uri ${psQuote(endpoint)} -Headers $headers -ContentType 'application/json' -Body $body`,
      ].join('\n'),
    },
  ];
}
