using System.Buffers.Binary;
using System.Text;

namespace TokenVerifier.Revocation;

/// <summary>
/// The sign-in entries (<c>origin_jti</c> and expiry) one user holds in a distributed store, kept beside them so that the
/// user's entries can be counted and coalesced. Only a bound, never a revocation: an unreadable index reads as empty.
/// Each item is the expiry in Unix ms (8 bytes), the id's UTF-8 length (4 bytes) and the id.
/// </summary>
internal static class SignInIndex
{
    private const int HeaderSize = sizeof(long) + sizeof(int);

    public static List<(string Id, long ExpiresAtMs)> Decode(byte[]? bytes, long nowMs)
    {
        var items = new List<(string, long)>();
        var rest = bytes.AsSpan();
        while (rest.Length >= HeaderSize)
        {
            var expires = BinaryPrimitives.ReadInt64LittleEndian(rest);
            var length = BinaryPrimitives.ReadInt32LittleEndian(rest[sizeof(long)..]);
            if (length <= 0 || length > rest.Length - HeaderSize)
            {
                return [];
            }

            if (expires > nowMs)
            {
                items.Add((Encoding.UTF8.GetString(rest.Slice(HeaderSize, length)), expires));
            }

            rest = rest[(HeaderSize + length)..];
        }

        return rest.IsEmpty ? items : [];
    }

    public static byte[] Encode(List<(string Id, long ExpiresAtMs)> items)
    {
        var size = 0;
        foreach (var (id, _) in items)
        {
            size += HeaderSize + Encoding.UTF8.GetByteCount(id);
        }

        var bytes = new byte[size];
        var rest = bytes.AsSpan();
        foreach (var (id, expires) in items)
        {
            BinaryPrimitives.WriteInt64LittleEndian(rest, expires);
            var length = Encoding.UTF8.GetBytes(id, rest[HeaderSize..]);
            BinaryPrimitives.WriteInt32LittleEndian(rest[sizeof(long)..], length);
            rest = rest[(HeaderSize + length)..];
        }

        return bytes;
    }
}
