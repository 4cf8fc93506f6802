/**
 * A local stand-in of the two S3 calls the reprocess makes, path style (the client is pointed here by
 * AWS_ENDPOINT_URL_S3): ListObjectsV2 (GET /<bucket>?list-type=2&prefix=...&continuation-token=...), answered in
 * pages of at most `pageSize` keys whatever max-keys asks, so that a few objects already take several pages; and
 * GetObject (GET /<bucket>/<key>). It counts the list calls.
 */
import { type StandIn, startStandIn } from './http-stand-in.js';

export interface FakeS3 extends StandIn {
  /** bucket -> key -> bytes. */
  buckets: Map<string, Map<string, Buffer>>;
  /** The ListObjectsV2 calls, with their prefix. */
  listCalls: string[];
  pageSize: number;
}

const xmlEscaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startFakeS3(pageSize = 10): Promise<FakeS3> {
  const buckets = new Map<string, Map<string, Buffer>>();
  const listCalls: string[] = [];
  const notFound = (code: string) => ({
    status: 404,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  });
  const standIn = await startStandIn(
    ({ method, path, query }) => {
      const [, bucketName = '', ...keyParts] = path.split('/');
      const bucket = buckets.get(bucketName);
      if (method !== 'GET' || bucket === undefined) return notFound('NoSuchBucket');
      if (keyParts.length === 0 || (keyParts.length === 1 && keyParts[0] === '')) {
        const prefix = query.get('prefix') ?? '';
        listCalls.push(prefix);
        const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix)).sort();
        const after = query.get('continuation-token');
        const from = after === null ? 0 : keys.findIndex((key) => key > after);
        const page = from === -1 ? [] : keys.slice(from, from + Math.min(pageSize, Number(query.get('max-keys') ?? 1000)));
        const truncated = from !== -1 && from + page.length < keys.length;
        return {
          status: 200,
          headers: { 'content-type': 'application/xml' },
          body: [
            '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
            `<Name>${bucketName}</Name><Prefix>${xmlEscaped(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>`,
            `<MaxKeys>${pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>`,
            ...page.map((key) => `<Contents><Key>${xmlEscaped(key)}</Key><Size>${bucket.get(key)!.length}</Size></Contents>`),
            truncated ? `<NextContinuationToken>${xmlEscaped(page.at(-1)!)}</NextContinuationToken>` : '',
            '</ListBucketResult>',
          ].join(''),
        };
      }
      const object = bucket.get(keyParts.join('/'));
      if (object === undefined) return notFound('NoSuchKey');
      return {
        status: 200,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(object.length) },
        body: object,
      };
    },
    (status) => ({
      status,
      headers: { 'content-type': 'application/xml' },
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected failure</Message></Error>',
    }),
  );
  return Object.assign(standIn, { buckets, listCalls, pageSize });
}
