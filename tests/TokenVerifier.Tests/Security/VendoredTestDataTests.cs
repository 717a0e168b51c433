using System.Security.Cryptography;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// The vendored vectors are the files their NOTICE describes: every file listed in SHA256SUMS has that hash, and every
/// vector file in the folder is listed, so a changed or added vector cannot slip in unnoticed.
/// </summary>
public sealed class VendoredTestDataTests
{
    // The folder's own documentation, not vectors.
    private static readonly string[] Unlisted = ["README.md", "NOTICE", "SHA256SUMS"];

    [Fact]
    public void Every_file_in_SHA256SUMS_has_its_listed_hash()
    {
        var sums = ReadSums();

        Assert.NotEmpty(sums);
        foreach (var (file, expected) in sums)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(TestVectors.Root, file))));
            Assert.True(expected == actual, $"{file}: SHA-256 {actual}, SHA256SUMS says {expected}");
        }
    }

    [Fact]
    public void Every_vendored_file_is_listed_in_SHA256SUMS()
    {
        var listed = ReadSums().Keys.ToHashSet(StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(TestVectors.Root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(TestVectors.Root, path).Replace('\\', '/'))
            .Where(path => !Unlisted.Contains(path))
            .ToList();

        var unlisted = present.Where(path => !listed.Contains(path)).ToList();
        var missing = listed.Where(path => !present.Contains(path)).ToList();

        Assert.True(unlisted.Count == 0, $"not in SHA256SUMS: {string.Join(", ", unlisted)}");
        Assert.True(missing.Count == 0, $"listed but missing: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Each_upstream_licence_is_vendored_beside_its_vectors_and_named_in_the_notice()
    {
        var notice = File.ReadAllText(Path.Combine(TestVectors.Root, "NOTICE"));

        foreach (var licence in new[] { "wycheproof/LICENSE", "rfc/LICENSE.jose-cookbook" })
        {
            Assert.True(File.Exists(Path.Combine(TestVectors.Root, licence)), licence);
            Assert.Contains(licence, notice, StringComparison.Ordinal);
        }

        Assert.Contains("Apache License", File.ReadAllText(Path.Combine(TestVectors.Root, "wycheproof/LICENSE")), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> ReadSums()
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(TestVectors.Root, "SHA256SUMS")))
        {
            if (line.Length == 0)
            {
                continue;
            }

            // sha256sum's format: 64 hex digits, two spaces, the path.
            var parts = line.Split("  ", 2);
            Assert.True(parts.Length == 2 && parts[0].Length == 64, $"SHA256SUMS line is not '<sha256>  <path>': {line}");
            sums.Add(parts[1], parts[0]);
        }

        return sums;
    }
}
