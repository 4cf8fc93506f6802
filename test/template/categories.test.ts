/**
 * The copy of each category's parts: serverless.yml's `custom.eachCategory` block, repeated for every category of
 * the catalog, with nothing left unfilled.
 */
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testPackage } from '../support/test-builds.js';
import { copyForEachCategory } from '../../template/categories.js';
import { CategoryNameError, PlaceholderOutsideCopyError } from '../../template/errors.js';

// serverless.yml's block, as osls read it (serverless-state.json of the run's package).
const eachCategory = (JSON.parse(readFileSync(join(await testPackage('project'), 'serverless-state.json'), 'utf8')) as { service: { custom: { eachCategory: Record<string, unknown> } } }).service.custom.eachCategory;
const categoryName = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,15}$/);

describe('copyForEachCategory', () => {
  it('copies a key naming a placeholder per category, fills the copy, and keeps the rest once', () => {
    // Prepare
    const block = {
      '<category>': { role: '<Category>Role', arn: { 'Fn::GetAtt': ['<Category>Queue', 'Arn'] } },
      shared: { name: 'topic' },
      dependsOn: ['TopicPolicy', '<Category>Subscription'],
    };

    // Act
    const copies = copyForEachCategory(block, ['messages', 'userGroups']);

    // Assess
    expect(copies).toEqual({
      messages: { role: 'MessagesRole', arn: { 'Fn::GetAtt': ['MessagesQueue', 'Arn'] } },
      userGroups: { role: 'UserGroupsRole', arn: { 'Fn::GetAtt': ['UserGroupsQueue', 'Arn'] } },
      shared: { name: 'topic' },
      dependsOn: ['TopicPolicy', 'MessagesSubscription', 'UserGroupsSubscription'],
    });
  });

  it('refuses a placeholder where no copy is made, saying where', () => {
    // Prepare
    const block = { shared: { description: 'events of <category>' } };

    // Act
    const act = () => copyForEachCategory(block, ['messages']);

    // Assess
    expect(act).toThrow(PlaceholderOutsideCopyError);
    expect(act).toThrow(/custom\.eachCategory\.shared\.description: "events of <category>"/);
  });

  it('refuses a category name that cannot name a function, a queue and a logical id alike', () => {
    for (const name of ['user-groups', 'user_groups', '2fa', '']) {
      // Act
      const act = () => copyForEachCategory({ '<category>': {} }, [name]);

      // Assess
      expect(act).toThrow(CategoryNameError);
    }
  });

  property.prop([fc.uniqueArray(categoryName, { minLength: 1, maxLength: 8, selector: (name) => name.toLowerCase() })])(
    "copies serverless.yml's block for any categories: each part once per category, no placeholder left",
    (categories) => {
      // Act
      const copies = copyForEachCategory(eachCategory, categories) as {
        functions: Record<string, unknown>;
        resources: Record<string, unknown>;
        streamHookDependsOn: string[];
      };

      // Assess
      const logicalIds = categories.map((c) => c[0]!.toUpperCase() + c.slice(1));
      expect(Object.keys(copies.functions).sort()).toEqual([...categories].sort());
      expect(Object.keys(copies.resources).sort()).toEqual(
        logicalIds.flatMap((id) => [`${id}DeadLetterQueue`, `${id}DeadLetterAlarm`, `${id}Role`]).sort(),
      );
      expect(copies.streamHookDependsOn).toHaveLength(1 + 4 * categories.length);
      expect(JSON.stringify(copies)).not.toMatch(/<category>|<Category>/);
    },
  );
});
