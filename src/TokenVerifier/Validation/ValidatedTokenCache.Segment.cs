namespace TokenVerifier.Validation;

// The segments: a lock and a clock-ordered list of entries each, so evictions contend only within one segment.
internal sealed partial class ValidatedTokenCache
{
    private sealed class Segment(int capacity)
    {
        public readonly Lock Gate = new();
        public readonly int Capacity = capacity;
        public long Evictions;

        // Insertion order, oldest first; entries given a second chance rejoin at the back. Guarded by Gate.
        public int Count;
        public Entry? Oldest;
        public Entry? Newest;

        public void Append(Entry entry)
        {
            entry.Older = Newest;
            entry.Newer = null;
            if (Newest is null)
            {
                Oldest = entry;
            }
            else
            {
                Newest.Newer = entry;
            }

            Newest = entry;
            Count++;
        }

        public void Unlink(Entry entry)
        {
            if (entry.Newer is null)
            {
                Newest = entry.Older;
            }
            else
            {
                entry.Newer.Older = entry.Older;
            }

            if (entry.Older is null)
            {
                Oldest = entry.Newer;
            }
            else
            {
                entry.Older.Newer = entry.Newer;
            }

            entry.Newer = null;
            entry.Older = null;
            Count--;
        }
    }
}
