/**
 * In-process consumer-group membership for adapters without a broker-side coordinator (SQLite). Like Kafka's
 * round-robin assignor: among the live members subscribed to a topic, in joining order, member i owns the
 * partitions p with p % members === i. Every join or leave bumps the group's generation, which tells each
 * member to recompute what it owns (and to restart newly owned partitions from the committed offset).
 */
export interface Member {
  readonly topics: readonly string[];
}

export interface Groups {
  join(group: string, member: Member): void;
  leave(group: string, member: Member): void;
  generation(group: string): number;
  /** Partitions of `topic` (which has `count`) that `member` owns now. */
  owned(group: string, member: Member, topic: string, count: number): number[];
}

export function createGroups(): Groups {
  const groups = new Map<string, { generation: number; members: Member[] }>();
  const entry = (group: string) => {
    const found = groups.get(group) ?? { generation: 0, members: [] };
    groups.set(group, found);
    return found;
  };
  return {
    join(group, member) {
      const found = entry(group);
      found.members.push(member);
      found.generation += 1;
    },
    leave(group, member) {
      const found = entry(group);
      found.members = found.members.filter((item) => item !== member);
      found.generation += 1;
    },
    generation: (group) => entry(group).generation,
    owned(group, member, topic, count) {
      const subscribers = entry(group).members.filter((item) => item.topics.includes(topic));
      const index = subscribers.indexOf(member);
      if (index < 0) return [];
      return Array.from({ length: count }, (_, partition) => partition).filter(
        (partition) => partition % subscribers.length === index,
      );
    },
  };
}
