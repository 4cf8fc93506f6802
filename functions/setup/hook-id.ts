/**
 * Our hook's id: a name-based UUID (version 5) of the stack's topic ARN. Stream upserts hooks by id and creates a
 * hook with an id it does not know, so a hook sent with this id is the same hook on every retry, every run and
 * every deploy: a write that Stream applied but whose answer was lost cannot leave a second hook behind.
 */
import { v5 as uuidV5 } from 'uuid';

/**
 * The namespace of our hook ids. Fixed for good: another namespace would give every deployed stack a new id, and its
 * hook would then be found by topic ARN only.
 */
const HOOK_ID_NAMESPACE = 'b05892d0-c3af-4e3d-a016-5b066fce35ad';

/** The id of the SNS hook for `topicArn`: the same for the same ARN, in every app, forever. */
export function hookIdFor(topicArn: string): string {
  return uuidV5(topicArn, HOOK_ID_NAMESPACE);
}
