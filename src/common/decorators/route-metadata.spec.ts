import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RouteMetadata } from './route-metadata';

const TAG = 'tag';

@SetMetadata(TAG, 'controller')
class TaggedController {
  @SetMetadata(TAG, 'method')
  tagged(): void {}

  untagged(): void {}
}

class PlainController {
  untagged(): void {}
}

function contextOf(controller: new () => object, handler: () => void): ExecutionContext {
  return { getHandler: () => handler, getClass: () => controller } as unknown as ExecutionContext;
}

describe('RouteMetadata', () => {
  it("gives the method's value, else the controller's, else undefined", () => {
    const tag = new RouteMetadata<string>(new Reflector(), TAG);
    expect(tag.of(contextOf(TaggedController, TaggedController.prototype.tagged))).toBe('method');
    expect(tag.of(contextOf(TaggedController, TaggedController.prototype.untagged))).toBe('controller');
    expect(tag.of(contextOf(PlainController, PlainController.prototype.untagged))).toBeUndefined();
  });

  it('reads each route once, and keeps one handler apart under two controllers', () => {
    const reflector = new Reflector();
    const reads = jest.spyOn(reflector, 'getAllAndOverride');
    const tag = new RouteMetadata<string>(reflector, TAG);
    const shared = TaggedController.prototype.untagged;
    for (let i = 0; i < 3; i++) {
      expect(tag.of(contextOf(TaggedController, shared))).toBe('controller');
      expect(tag.of(contextOf(PlainController, shared))).toBeUndefined();
    }
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
