using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Threading;
using RedisComponents.Connections;
using RedisComponents.Infrastructure;

namespace RedisComponents.Geo.Commands;

/// <summary>
/// What Import-RedisIpBlock and Import-RedisCityLocation share: -Path (wildcards, resolved by the
/// provider) or -LiteralPath, ShouldProcess per file, progress, malformed rows as capped errors, and the
/// refusals that leave the old index (a file of no known format, an oversized row, too many malformed rows).
/// </summary>
public abstract class GeoImportCmdlet : ComponentCmdlet
{
    private const int ProgressActivityId = 53;

    /// <summary>The file to import. Wildcards are resolved (each file matched is imported in turn).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The file to import, taken literally (no wildcards). Binds the PSPath of piped files.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>Malformed rows reported one by one; the rest are counted in one closing TooManyMalformedRows error.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxMalformedRows { get; set; } = 100;

    /// <summary>
    /// Largest share of malformed rows, in percent of the data rows, with which the file still replaces the
    /// index; above it the import is refused (MalformedShareExceeded) and the old data stays.
    /// </summary>
    [Parameter]
    [ValidateRange(0.0, 100.0)]
    public double MaxMalformedPercent { get; set; } = 1;

    private protected abstract GeoImportKind Kind { get; }

    /// <summary>The keys an import of <paramref name="path"/> would replace, for -WhatIf and messages.</summary>
    private protected abstract string KeysDescription(string path, bool cluster);

    /// <summary>"IP block" / "city location", for messages.</summary>
    private protected abstract string RowNoun { get; }

    protected override void ProcessRecord(ComponentConnection connection)
    {
        foreach (var file in ResolveFiles()) ImportFile(connection, file);
    }

    private void ImportFile(ComponentConnection connection, string path)
    {
        var where = $"component '{connection.Component}' ({connection.Endpoint})";
        var keys = KeysDescription(path, connection.IsCluster);
        if (!ShouldProcess($"{keys} on {where}", $"Replace with the {RowNoun}s of {path}")) return;

        var reported = 0;
        var progress = new ProgressRecord(ProgressActivityId, $"Importing {RowNoun}s into {where}", System.IO.Path.GetFileName(path));
        var importer = new GeoImporter(connection.Database, StopToken)
        {
            Cluster = connection.IsCluster,
            MaxMalformedPercent = MaxMalformedPercent,
            Progress = p =>
            {
                progress.PercentComplete = p.Percent;
                progress.StatusDescription = $"{System.IO.Path.GetFileName(path)}: {p.Records:N0} rows read, {p.Imported:N0} imported ({p.Percent}% of {p.TotalBytes:N0} bytes)";
                WriteProgress(progress);
            },
            Malformed = e =>
            {
                if (++reported > MaxMalformedRows) return;
                WriteError(ErrorRecords.Create("MalformedRow", ErrorCategory.InvalidData, e,
                    $"{e.Path} line {e.Line}: {e.Problem}. The row was skipped; the rest of the file is still imported into {where}. Fix the row and import again to include it."));
            },
        };

        GeoImportResult result;
        try
        {
            result = importer.Import(Kind, path, connection.Component);
        }
        catch (GeoFileFormatException ex)
        {
            WriteError(ErrorRecords.Create("UnrecognizedFileFormat", ErrorCategory.InvalidData, path,
                $"Cannot import {path} into {where}: {ex.Message}. Nothing was changed.", ex));
            return;
        }
        catch (GeoRowTooLargeException ex)
        {
            WriteError(ErrorRecords.Create("RowTooLarge", ErrorCategory.InvalidData, path,
                $"Cannot import {path} into {where}: line {ex.Line}: {ex.Message}, which no MaxMind file has; nothing was changed. Check that it is the right file and not damaged.", ex));
            return;
        }
        catch (GeoImportRefusedException ex)
        {
            WriteError(ErrorRecords.Create("MalformedShareExceeded", ErrorCategory.InvalidData, path,
                $"Did not import {path} into {where}: {ex.Message}, so {keys} were left as they were. Fix the file, or allow more with -MaxMalformedPercent.", ex));
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(ErrorRecords.Create("FileReadFailed", ErrorCategory.ReadError, path,
                $"Cannot read {path} ({ex.Message}); nothing was changed on {where}. Check the file and its permissions.", ex));
            return;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        if (result.Malformed > MaxMalformedRows)
        {
            WriteError(ErrorRecords.Create("TooManyMalformedRows", ErrorCategory.InvalidData, path,
                $"{path} had {result.Malformed:N0} malformed rows; the first {MaxMalformedRows} were reported one by one (see -MaxMalformedRows). All were skipped and the other rows imported into {where}."));
        }
        if (result.Imported == 0)
        {
            WriteError(ErrorRecords.Create("NoRowsImported", ErrorCategory.InvalidData, path,
                $"{path} has no {RowNoun} rows, so {keys} on {where} were left as they were. Check that it is the right file."));
        }
        WriteVerbose(result.ToString());
        WriteObject(result);
    }

    private List<string> ResolveFiles()
    {
        var files = new List<string>();
        if (ParameterSetName == "LiteralPath")
        {
            var literal = SessionState.Path.GetUnresolvedProviderPathFromPSPath(LiteralPath);
            if (File.Exists(literal)) files.Add(literal);
            else NotFound(LiteralPath, "does not exist or is not a file");
            return files;
        }

        Collection<string> resolved;
        ProviderInfo provider;
        try
        {
            resolved = GetResolvedProviderPathFromPSPath(Path, out provider);
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
        {
            NotFound(Path, "does not exist");
            return files;
        }
        if (provider.Name != "FileSystem") NotFound(Path, $"is on the {provider.Name} provider, not a file system");
        else if (resolved.Count == 0) NotFound(Path, "matches no file");
        else
        {
            foreach (var path in resolved)
            {
                if (File.Exists(path)) files.Add(path);
                else NotFound(path, "is not a file");
            }
        }
        return files;
    }

    private void NotFound(string path, string problem) =>
        WriteError(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, path,
            $"Path '{path}' {problem}; nothing was imported into component '{Component}'. Give the path of a MaxMind CSV file."));
}
