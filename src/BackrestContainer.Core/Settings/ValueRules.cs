using System.Text.RegularExpressions;

namespace BackrestContainer.Core.Settings;

/// <summary>
/// The shapes values must have before they may reach a configuration file or a command. Patterns end in \z, never $:
/// in .NET, $ also matches before a final line break, which would let "db\n" through.
/// </summary>
public static partial class ValueRules
{
    /// <summary>One directory name; at most 200 characters, so "-backups" and "-spool" still fit in NAME_MAX.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}\\z")]
    public static partial Regex PathSegment();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\z")]
    public static partial Regex StanzaName();

    [GeneratedRegex("^/[A-Za-z0-9_.@+=,:/-]*\\z")]
    public static partial Regex SafeAbsolutePath();

    [GeneratedRegex("^[A-Za-z0-9_.@-]+\\z")]
    public static partial Regex LocaleName();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z")]
    public static partial Regex OptionName();

    /// <summary>A DNS name or an IPv4 address, as PG_PRIMARY_HOST names the primary.</summary>
    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\z")]
    public static partial Regex HostName();

    /// <summary>Longer than any real path or option value: refused instead of being written somewhere.</summary>
    public const int MaximumLength = 1024;

    /// <summary>Why a value cannot be written on one line of a configuration file, or null if it can.</summary>
    public static string? LineProblem(string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            return "contains a line break, which would inject a line into the configuration; remove it";
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character; remove it";
        }

        // .NET decodes bytes that are not UTF-8 to U+FFFD: such a value could not be written back as it was given.
        if (value.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return "is not valid UTF-8 text; give the value in UTF-8";
        }

        return null;
    }

    /// <summary>Why a value cannot be passed through to pgbackrest.conf, or null if it can.</summary>
    public static string? PassThroughProblem(string value)
    {
        if (value.Length == 0)
        {
            return "is empty, which pgBackRest rejects; unset it or give a value";
        }

        if (LineProblem(value) is { } lineProblem)
        {
            return lineProblem;
        }

        if (value.Length > MaximumLength)
        {
            return $"is {value.Length} characters long; pgBackRest option values are at most {MaximumLength}";
        }

        if (value.StartsWith('='))
        {
            return "starts with '=', which pgbackrest.conf would misread; remove the leading '='";
        }

        var trimmed = value.Trim();
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            return "looks like a pgbackrest.conf section header; give the option's value, not a section";
        }

        return null;
    }

    /// <summary>Why a path cannot be used, or null if it is an absolute path safe to quote in PostgreSQL's configuration.</summary>
    public static string? AbsolutePathProblem(string value)
    {
        if (LineProblem(value) is { } lineProblem)
        {
            return lineProblem;
        }

        if (value.Length > MaximumLength)
        {
            return $"is {value.Length} characters long; give a path of at most {MaximumLength}";
        }

        if (!value.StartsWith('/'))
        {
            return $"'{value}' is not an absolute path; give a path starting with '/'";
        }

        if (!SafeAbsolutePath().IsMatch(value))
        {
            return $"'{value}' contains quotes, spaces or other characters that are unsafe in a command; use letters, digits and / _ . - only";
        }

        if (value.Split('/').Any(segment => segment is "." or ".."))
        {
            return $"'{value}' contains '.' or '..'; give the path without them";
        }

        return null;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> itself or lies beneath it.</summary>
    public static bool IsSameOrInside(string path, string directory)
    {
        var normalisedPath = path.TrimEnd('/');
        var normalisedDirectory = directory.TrimEnd('/');
        return normalisedPath == normalisedDirectory
            || normalisedPath.StartsWith(normalisedDirectory + "/", StringComparison.Ordinal);
    }
}
