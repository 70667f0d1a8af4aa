//! Checking the audit log: the hash chain record by record, then the signed checkpoints against it.

use app::audit_log::ChainCheck;

use super::{Engine, EngineError};

/// What a finished check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    Verified {
        records: i64,
        checkpoints: i64,
    },
    /// The first record that is wrong, and what is wrong with it.
    Broken {
        seq: i64,
        problem: String,
    },
}

impl From<AuditVerdict> for ChainCheck {
    fn from(verdict: AuditVerdict) -> ChainCheck {
        match verdict {
            AuditVerdict::Verified { records, checkpoints } => ChainCheck::Verified { records, checkpoints },
            AuditVerdict::Broken { seq, problem } => ChainCheck::Broken { seq, problem },
        }
    }
}

impl Engine {
    pub async fn last_audit_seq(&self) -> Result<i64, EngineError> {
        Ok(self.storage.last_audit_seq().await?)
    }

    /// Walks the whole chain, telling `progress` how many records it has checked, then the checkpoints (when
    /// this engine keeps them).
    pub async fn verify_audit(
        &self,
        progress: &mut (dyn FnMut(i64) + Send),
    ) -> Result<AuditVerdict, EngineError> {
        let records = match self.storage.verify_audit_chain_with(progress).await? {
            Ok(records) => records,
            Err(chain_break) => {
                return Ok(AuditVerdict::Broken {
                    seq: chain_break.seq,
                    problem: chain_break.problem.to_string(),
                })
            }
        };
        let checkpoints = match &self.checkpoints {
            Some(checkpoints) => match checkpoints.verify(&self.storage).await? {
                Ok(count) => count,
                Err(checkpoint_break) => {
                    return Ok(AuditVerdict::Broken {
                        seq: checkpoint_break.seq,
                        problem: checkpoint_break.problem,
                    })
                }
            },
            None => 0,
        };
        Ok(AuditVerdict::Verified { records, checkpoints })
    }

    /// Signs the chain's latest record into the checkpoint log, unless it is signed already.
    pub async fn checkpoint_audit(&self) -> Result<Option<i64>, EngineError> {
        match &self.checkpoints {
            Some(checkpoints) => Ok(checkpoints.checkpoint(&self.storage, self.now_ms()).await?),
            None => Ok(None),
        }
    }
}
