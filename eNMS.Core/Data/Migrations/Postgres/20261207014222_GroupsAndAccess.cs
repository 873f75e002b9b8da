using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace eNMS.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GroupsAndAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "EditAccess",
                table: "Services",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Services",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "ReadAccess",
                table: "Services",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "RunAccess",
                table: "Services",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<int>(
                name: "ResumeOfRunId",
                table: "Runs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DirectoryCheckedAt",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DirectorySource",
                table: "AspNetUsers",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LockedByDirectory",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ApprovalDecisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Node = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    ServiceId = table.Column<int>(type: "integer", nullable: false),
                    DeviceId = table.Column<int>(type: "integer", nullable: false),
                    DeviceName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Preview = table.Column<string>(type: "text", nullable: false),
                    PreviewNode = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Approvers = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    AllowSelfApproval = table.Column<bool>(type: "boolean", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Decision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApprovalDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApprovalDecisions_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UserGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    PoolIds = table.Column<List<int>>(type: "integer[]", nullable: false),
                    Members = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserGroups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalDecisions_RunId_Node_DeviceId",
                table: "ApprovalDecisions",
                columns: new[] { "RunId", "Node", "DeviceId" });

            migrationBuilder.CreateIndex(
                name: "IX_UserGroups_Name",
                table: "UserGroups",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApprovalDecisions");

            migrationBuilder.DropTable(
                name: "UserGroups");

            migrationBuilder.DropColumn(
                name: "EditAccess",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "ReadAccess",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "RunAccess",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "ResumeOfRunId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "DirectoryCheckedAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "DirectorySource",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LockedByDirectory",
                table: "AspNetUsers");
        }
    }
}
