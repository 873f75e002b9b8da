using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClusterWideSessionCaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SessionLeases",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Token = table.Column<Guid>(type: "TEXT", nullable: false),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionLeases", x => new { x.Scope, x.Slot });
                });

            migrationBuilder.CreateTable(
                name: "SharedCaps",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    RunId = table.Column<int>(type: "INTEGER", nullable: true),
                    Cap = table.Column<int>(type: "INTEGER", nullable: false),
                    Ceiling = table.Column<int>(type: "INTEGER", nullable: false),
                    Lowest = table.Column<int>(type: "INTEGER", nullable: false),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    Successes = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LoweredBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SharedCaps", x => x.Scope);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SessionLeases_ExpiresAt",
                table: "SessionLeases",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_SessionLeases_Holder",
                table: "SessionLeases",
                column: "Holder");

            migrationBuilder.CreateIndex(
                name: "IX_SharedCaps_RunId",
                table: "SharedCaps",
                column: "RunId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SessionLeases");

            migrationBuilder.DropTable(
                name: "SharedCaps");
        }
    }
}
